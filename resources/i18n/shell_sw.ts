<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="sw">
<context>
    <name>Countries</name>
    <message>
        <location filename="../../pos_app/ui/countries.py" line="12"/>
        <source>Kenya</source>
        <translation>Kenya</translation>
    </message>
</context>
<context>
    <name>Errors</name>
    <message>
        <location filename="../../pos_app/ui/errors.py" line="45"/>
        <source>Wrong PIN.</source>
        <translation>PIN si sahihi.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/errors.py" line="46"/>
        <source>Wrong PIN. %1 tries left before lock-out.</source>
        <translation>PIN si sahihi. Yamebaki majaribio %1 kabla ya kufungiwa.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/errors.py" line="52"/>
        <source>Too many wrong PINs: try again in %1 min.</source>
        <translation>PIN zisizo sahihi mara nyingi mno: jaribu tena baada ya dakika %1.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/errors.py" line="56"/>
        <source>Open a shift before selling: a supervisor or cashier opens it on the Shift page.</source>
        <translation>Fungua zamu kabla ya kuuza: msimamizi au keshia huifungua kwenye ukurasa wa Zamu.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/errors.py" line="66"/>
        <source>%1 is more than was paid and not yet refunded (%2).</source>
        <translation>%1 ni zaidi ya kilicholipwa na bado hakijarejeshwa (%2).</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/errors.py" line="75"/>
        <source>M-Pesa payment %1 was given to till %2, not this one: it is that till&apos;s money. Nothing was recorded here.</source>
        <translation>Malipo ya M-Pesa %1 yamepewa mashine %2, si hii: ni pesa ya mashine hiyo. Hakuna kilichorekodiwa hapa.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/errors.py" line="83"/>
        <source>M-Pesa payment %1 was given to another till of this shop: it is that till&apos;s money. Nothing was recorded here.</source>
        <translation>Malipo ya M-Pesa %1 yamepewa mashine nyingine ya duka hili: ni pesa ya mashine hiyo. Hakuna kilichorekodiwa hapa.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/errors.py" line="89"/>
        <source>M-Pesa has not confirmed payment %1 (claimed, not yet confirmed): it cannot pay a sale yet. Nothing was recorded; try again in a few minutes.</source>
        <translation>M-Pesa haijathibitisha malipo %1 (yamedaiwa, bado hayajathibitishwa): hayawezi kulipia mauzo bado. Hakuna kilichorekodiwa; jaribu tena baada ya dakika chache.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/errors.py" line="97"/>
        <source>This needs a supervisor&apos;s PIN.</source>
        <translation>Hii inahitaji PIN ya msimamizi.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/errors.py" line="99"/>
        <source>This user is deactivated.</source>
        <translation>Mtumiaji huyu amezimwa.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/errors.py" line="102"/>
        <source>You submitted this proof: another supervisor must approve it.</source>
        <translation>Uliwasilisha uthibitisho huu mwenyewe: msimamizi mwingine lazima auidhinishe.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/errors.py" line="108"/>
        <source>This is the last active supervisor: add another supervisor before deactivating this one.</source>
        <translation>Huyu ndiye msimamizi wa mwisho aliye hai: ongeza msimamizi mwingine kabla ya kumzima huyu.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/errors.py" line="116"/>
        <source>This payment was already refunded in full.</source>
        <translation>Malipo haya yalisharejeshwa yote.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/errors.py" line="120"/>
        <source>The refund is recorded as requested, but the relay did not answer. The till asks again by itself with the same request (it can never refund twice).</source>
        <translation>Marejesho yamerekodiwa kama yalivyoombwa, lakini relay haikujibu. Mashine itaomba tena yenyewe kwa ombi lilelile (haiwezi kurejesha mara mbili).</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/errors.py" line="128"/>
        <source>A refund of this payment is already waiting for the provider: it is sent again automatically until the provider answers.</source>
        <translation>Marejesho ya malipo haya tayari yanasubiri mtoa huduma: yanatumwa tena yenyewe hadi mtoa huduma ajibu.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/errors.py" line="136"/>
        <source>Type the M-Pesa reversal&apos;s transaction code from the confirmation SMS.</source>
        <translation>Andika msimbo wa muamala wa kurudisha M-Pesa kutoka SMS ya uthibitisho.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/errors.py" line="143"/>
        <source>Say why you reject it (the cashier will read this).</source>
        <translation>Eleza kwa nini unakataa (keshia atasoma hili).</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/errors.py" line="149"/>
        <source>This needs the relay, and this till is not paired with one: pair it in Settings.</source>
        <translation>Hii inahitaji relay, na mashine hii haijaunganishwa na relay: iunganishe kwenye Mipangilio.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/errors.py" line="156"/>
        <source>Only the relay can give this M-Pesa payment to this till (another till may ask for it too), and it cannot be reached: nothing was recorded. Try again when the till is online.</source>
        <translation>Ni relay pekee inayoweza kuipa mashine hii malipo haya ya M-Pesa (mashine nyingine inaweza kuyaomba pia), na haipatikani: hakuna kilichorekodiwa. Jaribu tena mashine ikiwa mtandaoni.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/errors.py" line="165"/>
        <source>The relay cannot be reached right now: nothing was changed. Try again when the till is online.</source>
        <translation>Relay haipatikani kwa sasa: hakuna kilichobadilishwa. Jaribu tena mashine ikiwa mtandaoni.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/errors.py" line="173"/>
        <source>That is not an amount. Type digits, e.g. 1,250.50.</source>
        <translation>Hicho si kiasi. Andika tarakimu, k.m. 1,250.50.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/errors.py" line="179"/>
        <source>That amount has more decimals than the currency has.</source>
        <translation>Kiasi hicho kina desimali nyingi kuliko sarafu inavyoruhusu.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/errors.py" line="185"/>
        <source>This stored item cannot be decrypted: it was damaged or altered.</source>
        <translation>Kitu hiki kilichohifadhiwa hakiwezi kufunguliwa: kimeharibika au kimebadilishwa.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/errors.py" line="191"/>
        <source>The disk is full: nothing was saved. Free some space, then try again.</source>
        <translation>Diski imejaa: hakuna kilichohifadhiwa. Toa nafasi, kisha ujaribu tena.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/errors.py" line="202"/>
        <source>Something went wrong; nothing was changed. Try again.</source>
        <translation>Hitilafu imetokea; hakuna kilichobadilishwa. Jaribu tena.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/errors.py" line="210"/>
        <source>A supervisor is restoring this till from its backup and the relay&apos;s copy: it does not sell until Duka POS starts again.</source>
        <translation>Msimamizi anarejesha mashine hii kutoka nakala yake na nakala ya relay: haiuzi mpaka Duka POS ifunguliwe tena.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/errors.py" line="216"/>
        <source>This till&apos;s ledger has lost %1 sale record(s) the relay already holds (the file was cut short, e.g. by a power cut or a failing disk). Selling is stopped so no sale number is used twice. A supervisor can restore the till from its last backup and the relay&apos;s copy (Restore from backup / relay).</source>
        <translation>Daftari la mashine hii limepoteza rekodi %1 za mauzo ambazo relay tayari inazo (faili lilikatika, k.m. kwa kukatika kwa umeme au diski inayoharibika). Uuzaji umesimamishwa ili namba ya mauzo isitumike mara mbili. Msimamizi anaweza kurejesha mashine kutoka nakala yake ya mwisho na nakala ya relay (Rejesha kutoka nakala / relay).</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/errors.py" line="223"/>
        <source>The till&apos;s ledger file is damaged, so it will not sell: a sale written into a damaged file could be lost or wrong. A supervisor can restore it from the last backup and the relay&apos;s copy of this till&apos;s sales (Restore from backup / relay).</source>
        <translation>Faili la daftari la mashine limeharibika, kwa hiyo haitauza: mauzo yaliyoandikwa kwenye faili lililoharibika yanaweza kupotea au kukosewa. Msimamizi anaweza kulirejesha kutoka nakala ya mwisho na nakala ya relay ya mauzo ya mashine hii (Rejesha kutoka nakala / relay).</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/errors.py" line="233"/>
        <source>This step needs a supervisor&apos;s approval.</source>
        <translation>Hatua hii inahitaji idhini ya msimamizi.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/errors.py" line="236"/>
        <source>This approval is not valid.</source>
        <translation>Idhini hii si halali.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/errors.py" line="239"/>
        <source>This approval was given for something else.</source>
        <translation>Idhini hii ilitolewa kwa jambo jingine.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/errors.py" line="242"/>
        <source>This approval has expired.</source>
        <translation>Muda wa idhini hii umekwisha.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/errors.py" line="243"/>
        <source>This approval was already used once: each PIN approves one change.</source>
        <translation>Idhini hii imeshatumika mara moja: kila PIN inaidhinisha badiliko moja tu.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/errors.py" line="247"/>
        <source>%1 A supervisor must type their PIN again.</source>
        <translation>%1 Msimamizi lazima aandike PIN yake tena.</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../pos_app/ui/main_window.py" line="50"/>
        <source>Duka POS</source>
        <translation>Duka POS</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/main_window.py" line="154"/>
        <source>● Online</source>
        <translation>● Mtandaoni</translation>
    </message>
    <message numerus="yes">
        <location filename="../../pos_app/ui/main_window.py" line="199"/>
        <source>Unsynced: %n event(s)</source>
        <translation>
            <numerusform>Hazijasawazishwa: tukio %n</numerusform>
            <numerusform>Hazijasawazishwa: matukio %n</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/main_window.py" line="170"/>
        <source>Last sync: never</source>
        <translation>Usawazishaji wa mwisho: bado</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/main_window.py" line="158"/>
        <source>● Offline: %1</source>
        <translation>● Nje ya mtandao: %1</translation>
    </message>
    <message numerus="yes">
        <location filename="../../pos_app/ui/main_window.py" line="166"/>
        <source>%n invoice(s) waiting for the eTIMS signature</source>
        <translation>
            <numerusform>Ankara %n inasubiri sahihi ya eTIMS</numerusform>
            <numerusform>Ankara %n zinasubiri sahihi ya eTIMS</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/main_window.py" line="174"/>
        <source>Last sync: %1</source>
        <translation>Usawazishaji wa mwisho: %1</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/main_window.py" line="179"/>
        <source>details</source>
        <translation>maelezo</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/main_window.py" line="181"/>
        <source>TEST MODE — no real money moves (%1).</source>
        <translation>HALI YA MAJARIBIO — hakuna pesa halisi inayohamishwa (%1).</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/main_window.py" line="194"/>
        <source>All synced</source>
        <translation>Yote yamesawazishwa</translation>
    </message>
    <message numerus="yes">
        <location filename="../../pos_app/ui/main_window.py" line="196"/>
        <source>%n event(s) waiting to sync</source>
        <translation>
            <numerusform>Tukio %n linasubiri kusawazishwa</numerusform>
            <numerusform>Matukio %n yanasubiri kusawazishwa</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../pos_app/ui/main_window.py" line="198"/>
        <source>Syncing %n event(s)…</source>
        <translation>
            <numerusform>Inasawazisha tukio %n…</numerusform>
            <numerusform>Inasawazisha matukio %n…</numerusform>
        </translation>
    </message>
</context>
</TS>
