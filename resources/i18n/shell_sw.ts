<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="sw">
<context>
    <name>Errors</name>
    <message>
        <location filename="../../pos_app/ui/errors.py" line="41"/>
        <source>Wrong PIN.</source>
        <translation>PIN si sahihi.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/errors.py" line="42"/>
        <source>Wrong PIN. %1 tries left before lock-out.</source>
        <translation>PIN si sahihi. Yamebaki majaribio %1 kabla ya kufungiwa.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/errors.py" line="46"/>
        <source>Too many wrong PINs: locked until %1 UTC.</source>
        <translation>PIN zisizo sahihi nyingi mno: umefungiwa hadi %1 UTC.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/errors.py" line="55"/>
        <source>%1 is more than was paid and not yet refunded (%2).</source>
        <translation>%1 ni zaidi ya kilicholipwa na bado hakijarejeshwa (%2).</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/errors.py" line="64"/>
        <source>M-Pesa payment %1 was given to till %2, not this one: it is that till&apos;s money. Nothing was recorded here.</source>
        <translation>Malipo ya M-Pesa %1 yamepewa mashine %2, si hii: ni pesa ya mashine hiyo. Hakuna kilichorekodiwa hapa.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/errors.py" line="72"/>
        <source>M-Pesa payment %1 was given to another till of this shop: it is that till&apos;s money. Nothing was recorded here.</source>
        <translation>Malipo ya M-Pesa %1 yamepewa mashine nyingine ya duka hili: ni pesa ya mashine hiyo. Hakuna kilichorekodiwa hapa.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/errors.py" line="78"/>
        <source>M-Pesa has not confirmed payment %1 (claimed, not yet confirmed): it cannot pay a sale yet. Nothing was recorded; try again in a few minutes.</source>
        <translation>M-Pesa haijathibitisha malipo %1 (yamedaiwa, bado hayajathibitishwa): hayawezi kulipia mauzo bado. Hakuna kilichorekodiwa; jaribu tena baada ya dakika chache.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/errors.py" line="86"/>
        <source>This needs a supervisor&apos;s PIN.</source>
        <translation>Hii inahitaji PIN ya msimamizi.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/errors.py" line="88"/>
        <source>This user is deactivated.</source>
        <translation>Mtumiaji huyu amezimwa.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/errors.py" line="91"/>
        <source>You submitted this proof: another supervisor must approve it.</source>
        <translation>Uliwasilisha uthibitisho huu mwenyewe: msimamizi mwingine lazima auidhinishe.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/errors.py" line="97"/>
        <source>This is the last active supervisor: add another supervisor before deactivating this one.</source>
        <translation>Huyu ndiye msimamizi wa mwisho aliye hai: ongeza msimamizi mwingine kabla ya kumzima huyu.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/errors.py" line="105"/>
        <source>This payment was already refunded in full.</source>
        <translation>Malipo haya yalisharejeshwa yote.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/errors.py" line="109"/>
        <source>The refund is recorded as requested, but the relay did not answer. The till asks again by itself with the same request (it can never refund twice).</source>
        <translation>Marejesho yamerekodiwa kama yalivyoombwa, lakini relay haikujibu. Mashine itaomba tena yenyewe kwa ombi lilelile (haiwezi kurejesha mara mbili).</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/errors.py" line="117"/>
        <source>A refund of this payment is already waiting for Paystack: it is sent again automatically until Paystack answers.</source>
        <translation>Marejesho ya malipo haya tayari yanasubiri Paystack: yanatumwa tena yenyewe hadi Paystack ijibu.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/errors.py" line="125"/>
        <source>Type the M-Pesa reversal&apos;s transaction code from the confirmation SMS.</source>
        <translation>Andika msimbo wa muamala wa kurudisha M-Pesa kutoka SMS ya uthibitisho.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/errors.py" line="132"/>
        <source>Say why you reject it (the cashier will read this).</source>
        <translation>Eleza kwa nini unakataa (keshia atasoma hili).</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/errors.py" line="138"/>
        <source>This needs the relay, and this till is not paired with one: pair it in Settings.</source>
        <translation>Hii inahitaji relay, na mashine hii haijaunganishwa na relay: iunganishe kwenye Mipangilio.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/errors.py" line="145"/>
        <source>Only the relay can give this M-Pesa payment to this till (another till may ask for it too), and it cannot be reached: nothing was recorded. Try again when the till is online.</source>
        <translation>Ni relay pekee inayoweza kuipa mashine hii malipo haya ya M-Pesa (mashine nyingine inaweza kuyaomba pia), na haipatikani: hakuna kilichorekodiwa. Jaribu tena mashine ikiwa mtandaoni.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/errors.py" line="154"/>
        <source>The relay cannot be reached right now: nothing was changed. Try again when the till is online.</source>
        <translation>Relay haipatikani kwa sasa: hakuna kilichobadilishwa. Jaribu tena mashine ikiwa mtandaoni.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/errors.py" line="162"/>
        <source>That is not an amount. Type digits, e.g. 1,250.50.</source>
        <translation>Hicho si kiasi. Andika tarakimu, k.m. 1,250.50.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/errors.py" line="168"/>
        <source>That amount has more decimals than the currency has.</source>
        <translation>Kiasi hicho kina desimali nyingi kuliko sarafu inavyoruhusu.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/errors.py" line="174"/>
        <source>This stored item cannot be decrypted: it was damaged or altered.</source>
        <translation>Kitu hiki kilichohifadhiwa hakiwezi kufunguliwa: kimeharibika au kimebadilishwa.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/errors.py" line="180"/>
        <source>The disk is full: nothing was saved. Free some space, then try again.</source>
        <translation>Diski imejaa: hakuna kilichohifadhiwa. Toa nafasi, kisha ujaribu tena.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/errors.py" line="191"/>
        <source>Something went wrong; nothing was changed. Try again.</source>
        <translation>Hitilafu imetokea; hakuna kilichobadilishwa. Jaribu tena.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/errors.py" line="199"/>
        <source>A supervisor is restoring this till from its backup and the relay&apos;s copy: it does not sell until Duka POS starts again.</source>
        <translation>Msimamizi anarejesha mashine hii kutoka nakala yake na nakala ya relay: haiuzi mpaka Duka POS ifunguliwe tena.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/errors.py" line="205"/>
        <source>This till&apos;s ledger has lost %1 sale record(s) the relay already holds (the file was cut short, e.g. by a power cut or a failing disk). Selling is stopped so no sale number is used twice. A supervisor can restore the till from its last backup and the relay&apos;s copy (Restore from backup / relay).</source>
        <translation>Daftari la mashine hii limepoteza rekodi %1 za mauzo ambazo relay tayari inazo (faili lilikatika, k.m. kwa kukatika kwa umeme au diski inayoharibika). Uuzaji umesimamishwa ili namba ya mauzo isitumike mara mbili. Msimamizi anaweza kurejesha mashine kutoka nakala yake ya mwisho na nakala ya relay (Rejesha kutoka nakala / relay).</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/errors.py" line="212"/>
        <source>The till&apos;s ledger file is damaged, so it will not sell: a sale written into a damaged file could be lost or wrong. A supervisor can restore it from the last backup and the relay&apos;s copy of this till&apos;s sales (Restore from backup / relay).</source>
        <translation>Faili la daftari la mashine limeharibika, kwa hiyo haitauza: mauzo yaliyoandikwa kwenye faili lililoharibika yanaweza kupotea au kukosewa. Msimamizi anaweza kulirejesha kutoka nakala ya mwisho na nakala ya relay ya mauzo ya mashine hii (Rejesha kutoka nakala / relay).</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/errors.py" line="222"/>
        <source>This step needs a supervisor&apos;s approval.</source>
        <translation>Hatua hii inahitaji idhini ya msimamizi.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/errors.py" line="225"/>
        <source>This approval is not valid.</source>
        <translation>Idhini hii si halali.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/errors.py" line="228"/>
        <source>This approval was given for something else.</source>
        <translation>Idhini hii ilitolewa kwa jambo jingine.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/errors.py" line="231"/>
        <source>This approval has expired.</source>
        <translation>Muda wa idhini hii umekwisha.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/errors.py" line="232"/>
        <source>This approval was already used once: each PIN approves one change.</source>
        <translation>Idhini hii imeshatumika mara moja: kila PIN inaidhinisha badiliko moja tu.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/errors.py" line="236"/>
        <source>%1 A supervisor must type their PIN again.</source>
        <translation>%1 Msimamizi lazima aandike PIN yake tena.</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../pos_app/ui/main_window.py" line="55"/>
        <source>Duka POS</source>
        <translation>Duka POS</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/main_window.py" line="156"/>
        <source>● Online</source>
        <translation>● Mtandaoni</translation>
    </message>
    <message numerus="yes">
        <location filename="../../pos_app/ui/main_window.py" line="201"/>
        <source>Unsynced: %n event(s)</source>
        <translation>
            <numerusform>Hazijasawazishwa: tukio %n</numerusform>
            <numerusform>Hazijasawazishwa: matukio %n</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/main_window.py" line="172"/>
        <source>Last sync: never</source>
        <translation>Usawazishaji wa mwisho: bado</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/main_window.py" line="160"/>
        <source>● Offline: %1</source>
        <translation>● Nje ya mtandao: %1</translation>
    </message>
    <message numerus="yes">
        <location filename="../../pos_app/ui/main_window.py" line="168"/>
        <source>%n invoice(s) waiting for the eTIMS signature</source>
        <translation>
            <numerusform>Ankara %n inasubiri sahihi ya eTIMS</numerusform>
            <numerusform>Ankara %n zinasubiri sahihi ya eTIMS</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/main_window.py" line="176"/>
        <source>Last sync: %1</source>
        <translation>Usawazishaji wa mwisho: %1</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/main_window.py" line="181"/>
        <source>details</source>
        <translation>maelezo</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/main_window.py" line="183"/>
        <source>TEST MODE — no real money moves (%1).</source>
        <translation>HALI YA MAJARIBIO — hakuna pesa halisi inayohamishwa (%1).</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/main_window.py" line="196"/>
        <source>All synced</source>
        <translation>Yote yamesawazishwa</translation>
    </message>
    <message numerus="yes">
        <location filename="../../pos_app/ui/main_window.py" line="198"/>
        <source>%n event(s) waiting to sync</source>
        <translation>
            <numerusform>Tukio %n linasubiri kusawazishwa</numerusform>
            <numerusform>Matukio %n yanasubiri kusawazishwa</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../pos_app/ui/main_window.py" line="200"/>
        <source>Syncing %n event(s)…</source>
        <translation>
            <numerusform>Inasawazisha tukio %n…</numerusform>
            <numerusform>Inasawazisha matukio %n…</numerusform>
        </translation>
    </message>
</context>
</TS>
