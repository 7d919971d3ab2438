<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="sw">
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../pos_app/ui/main_window.py" line="47"/>
        <source>Duka POS</source>
        <translation>Duka POS</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/main_window.py" line="137"/>
        <source>● Online</source>
        <translation>● Mtandaoni</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/main_window.py" line="141"/>
        <source>● Offline</source>
        <translation>● Nje ya mtandao</translation>
    </message>
    <message numerus="yes">
        <location filename="../../pos_app/ui/main_window.py" line="145"/>
        <source>Unsynced: %n event(s)</source>
        <translation>
            <numerusform>Hazijasawazishwa: tukio %n</numerusform>
            <numerusform>Hazijasawazishwa: matukio %n</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/main_window.py" line="147"/>
        <source>Last sync: never</source>
        <translation>Usawazishaji wa mwisho: bado</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/main_window.py" line="150"/>
        <source>Last sync: %1</source>
        <translation>Usawazishaji wa mwisho: %1</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/main_window.py" line="152"/>
        <source>TEST MODE — no real money moves.</source>
        <translation>HALI YA MAJARIBIO — hakuna pesa halisi inayohamishwa.</translation>
    </message>
</context>
</TS>
