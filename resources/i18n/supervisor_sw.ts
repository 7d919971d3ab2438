<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="sw">
<context>
    <name>ApprovalsPage</name>
    <message>
        <location filename="../../pos_app/ui/supervisor/approvals_page.py" line="132"/>
        <source>Waiting for a decision</source>
        <translation>Yanasubiri uamuzi</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/approvals_page.py" line="130"/>
        <source>Refresh</source>
        <translation>Onyesha upya</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/approvals_page.py" line="141"/>
        <source>Risk</source>
        <translation>Hatari</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/approvals_page.py" line="142"/>
        <source>Kind</source>
        <translation>Aina</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/approvals_page.py" line="143"/>
        <source>Expected</source>
        <translation>Kinachotarajiwa</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/approvals_page.py" line="144"/>
        <source>Claimed</source>
        <translation>Kinachodaiwa</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/approvals_page.py" line="146"/>
        <source>Method</source>
        <translation>Njia</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/approvals_page.py" line="145"/>
        <source>When</source>
        <translation>Lini</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/approvals_page.py" line="152"/>
        <source>Nothing is waiting: every proof and flagged payment has been decided.</source>
        <translation>Hakuna kinachosubiri: kila uthibitisho na malipo yaliyowekewa alama yameamuliwa.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/approvals_page.py" line="178"/>
        <source>Ask the provider again</source>
        <translation>Uliza mtoa huduma tena</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/approvals_page.py" line="181"/>
        <source>The relay saw this payment</source>
        <translation>Relay iliona malipo haya</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/approvals_page.py" line="186"/>
        <source>Accept: it matches</source>
        <translation>Kubali: yanalingana</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/approvals_page.py" line="192"/>
        <source>Decision</source>
        <translation>Uamuzi</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/approvals_page.py" line="196"/>
        <source>Notes (required to reject)</source>
        <translation>Maelezo (yanahitajika ili kukataa)</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/approvals_page.py" line="198"/>
        <source>Notes</source>
        <translation>Maelezo</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/approvals_page.py" line="202"/>
        <source>Decided by</source>
        <translation>Ameamua</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/approvals_page.py" line="205"/>
        <source>PIN</source>
        <translation>PIN</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/approvals_page.py" line="210"/>
        <source>Approve</source>
        <translation>Idhinisha</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/approvals_page.py" line="213"/>
        <source>Reject</source>
        <translation>Kataa</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/approvals_page.py" line="306"/>
        <source>Pick a payment on the left to see its details.</source>
        <translation>Chagua malipo upande wa kushoto kuona maelezo yake.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/approvals_page.py" line="312"/>
        <source>not reported</source>
        <translation>haijaripotiwa</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/approvals_page.py" line="320"/>
        <source>Sale: %1</source>
        <translation>Mauzo: %1</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/approvals_page.py" line="323"/>
        <source>Expected: %1</source>
        <translation>Kinachotarajiwa: %1</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/approvals_page.py" line="324"/>
        <source>Claimed: %1</source>
        <translation>Kinachodaiwa: %1</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/approvals_page.py" line="327"/>
        <source>Reference: %1</source>
        <translation>Kumbukumbu: %1</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/approvals_page.py" line="329"/>
        <source>Submitted by: %1</source>
        <translation>Imewasilishwa na: %1</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/approvals_page.py" line="331"/>
        <source>Cashier&apos;s note: %1</source>
        <translation>Maelezo ya keshia: %1</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/approvals_page.py" line="332"/>
        <source>Risk score: %1 of 100</source>
        <translation>Alama ya hatari: %1 kati ya 100</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/approvals_page.py" line="340"/>
        <source>Warning: this code was already used on another sale: %1</source>
        <translation>Tahadhari: msimbo huu ulishatumika kwenye mauzo mengine: %1</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/approvals_page.py" line="350"/>
        <source>%1 confirmation %2 for %3, received %4.</source>
        <translation>Uthibitisho wa %1 %2 wa %3, ulipokelewa %4.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/approvals_page.py" line="363"/>
        <source>Opening the receipt photo…</source>
        <translation>Inafungua picha ya risiti…</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/approvals_page.py" line="380"/>
        <source>No photo was attached.</source>
        <translation>Hakuna picha iliyoambatishwa.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/approvals_page.py" line="388"/>
        <source>Taken: M-Pesa payment %1 was given to another till of this shop. It is that till&apos;s money, not this sale&apos;s: reject this proof.</source>
        <translation>Yamechukuliwa: malipo ya M-Pesa %1 yamepewa mashine nyingine ya duka hili. Ni pesa ya mashine hiyo, si ya mauzo haya: kataa uthibitisho huu.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/approvals_page.py" line="395"/>
        <source>Claimed, not yet confirmed: M-Pesa has not confirmed a payment with this code to the relay. It pays nothing by itself; approve only if you saw the money.</source>
        <translation>Yamedaiwa, bado hayajathibitishwa: M-Pesa haijathibitisha kwa relay malipo yenye msimbo huu. Hayalipii chochote yenyewe; idhinisha tu kama uliona pesa.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/approvals_page.py" line="400"/>
        <source>No till showed this payment&apos;s account reference: accepting asks the relay to give it to this till (needs the relay online).</source>
        <translation>Hakuna mashine iliyoonyesha namba ya akaunti ya malipo haya: kukubali kunaomba relay iyape mashine hii (relay lazima iwe mtandaoni).</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/approvals_page.py" line="414"/>
        <source>The receipt photo is damaged and cannot be shown. Ask the customer for the SMS or a new photo.</source>
        <translation>Picha ya risiti imeharibika na haiwezi kuonyeshwa. Mwombe mteja SMS au picha mpya.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/approvals_page.py" line="438"/>
        <source>The receipt photo cannot be opened: %1</source>
        <translation>Picha ya risiti haiwezi kufunguliwa: %1</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/approvals_page.py" line="453"/>
        <source>Approved.</source>
        <translation>Imeidhinishwa.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/approvals_page.py" line="453"/>
        <source>Rejected.</source>
        <translation>Imekataliwa.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/approvals_page.py" line="466"/>
        <source>Approved: matched to the relay&apos;s confirmation.</source>
        <translation>Imeidhinishwa: inalingana na uthibitisho wa relay.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/approvals_page.py" line="479"/>
        <source>Asked: the answer updates this queue when it arrives.</source>
        <translation>Imeulizwa: jibu litasasisha orodha hii likifika.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/approvals_page.py" line="497"/>
        <source>Type the PIN of the person deciding.</source>
        <translation>Andika PIN ya anayeamua.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/approvals_page.py" line="500"/>
        <source>Checking…</source>
        <translation>Inakagua…</translation>
    </message>
</context>
<context>
    <name>AuditActions</name>
    <message>
        <location filename="../../pos_app/ui/supervisor/audit_names.py" line="15"/>
        <source>Approval refused</source>
        <translation>Idhini imekataliwa</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/audit_names.py" line="16"/>
        <source>Cash put in the drawer</source>
        <translation>Pesa imewekwa droo</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/audit_names.py" line="17"/>
        <source>Cash taken out of the drawer</source>
        <translation>Pesa imetolewa droo</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/audit_names.py" line="18"/>
        <source>Products imported</source>
        <translation>Bidhaa zimeletwa</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/audit_names.py" line="19"/>
        <source>Drawer opened (no sale)</source>
        <translation>Droo imefunguliwa (bila mauzo)</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/audit_names.py" line="20"/>
        <source>Ledger recovered from the relay</source>
        <translation>Daftari limerejeshwa kutoka relay</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/audit_names.py" line="23"/>
        <source>Ledger restore started</source>
        <translation>Urejeshaji wa daftari umeanza</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/audit_names.py" line="26"/>
        <source>Sale cancelled</source>
        <translation>Mauzo yameghairiwa</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/audit_names.py" line="27"/>
        <source>Sale started</source>
        <translation>Mauzo yameanzishwa</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/audit_names.py" line="28"/>
        <source>Waiting for the customer</source>
        <translation>Inasubiri mteja</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/audit_names.py" line="31"/>
        <source>Payment cancelled</source>
        <translation>Malipo yameghairiwa</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/audit_names.py" line="32"/>
        <source>Delivery cash differs</source>
        <translation>Pesa ya kufikisha inatofautiana</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/audit_names.py" line="33"/>
        <source>Delivery cash received</source>
        <translation>Pesa ya kufikisha imepokelewa</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/audit_names.py" line="34"/>
        <source>Payment started</source>
        <translation>Malipo yameanzishwa</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/audit_names.py" line="35"/>
        <source>Payment expired</source>
        <translation>Muda wa malipo umekwisha</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/audit_names.py" line="36"/>
        <source>Payment failed</source>
        <translation>Malipo yameshindikana</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/audit_names.py" line="37"/>
        <source>Flag cleared</source>
        <translation>Alama imeondolewa</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/audit_names.py" line="38"/>
        <source>Payment flagged</source>
        <translation>Malipo yamewekewa alama</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/audit_names.py" line="39"/>
        <source>Provider answered</source>
        <translation>Mtoa huduma amejibu</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/audit_names.py" line="40"/>
        <source>Provider answer flagged</source>
        <translation>Jibu la mtoa huduma limewekewa alama</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/audit_names.py" line="43"/>
        <source>Payment taken</source>
        <translation>Malipo yamepokelewa</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/audit_names.py" line="44"/>
        <source>Refund given</source>
        <translation>Marejesho yametolewa</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/audit_names.py" line="45"/>
        <source>Payment resolved</source>
        <translation>Malipo yametatuliwa</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/audit_names.py" line="46"/>
        <source>Risk scored</source>
        <translation>Hatari imepimwa</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/audit_names.py" line="47"/>
        <source>Payment outcome unknown</source>
        <translation>Matokeo ya malipo hayajulikani</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/audit_names.py" line="48"/>
        <source>Product added</source>
        <translation>Bidhaa imeongezwa</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/audit_names.py" line="49"/>
        <source>Product changed</source>
        <translation>Bidhaa imebadilishwa</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/audit_names.py" line="50"/>
        <source>Proof decided</source>
        <translation>Uthibitisho umeamuliwa</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/audit_names.py" line="51"/>
        <source>Proof photo unreadable</source>
        <translation>Picha ya uthibitisho haisomeki</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/audit_names.py" line="54"/>
        <source>Proof submitted</source>
        <translation>Uthibitisho umewasilishwa</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/audit_names.py" line="55"/>
        <source>Test mode switched</source>
        <translation>Hali ya majaribio imebadilishwa</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/audit_names.py" line="56"/>
        <source>Test mode refused</source>
        <translation>Hali ya majaribio imekataliwa</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/audit_names.py" line="59"/>
        <source>Provider message ignored</source>
        <translation>Ujumbe wa mtoa huduma umepuuzwa</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/audit_names.py" line="62"/>
        <source>Provider message matched</source>
        <translation>Ujumbe wa mtoa huduma umelinganishwa</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/audit_names.py" line="65"/>
        <source>Provider message unmatched</source>
        <translation>Ujumbe wa mtoa huduma haujalinganishwa</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/audit_names.py" line="68"/>
        <source>Refund approved</source>
        <translation>Marejesho yameidhinishwa</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/audit_names.py" line="69"/>
        <source>Refund failed</source>
        <translation>Marejesho yameshindikana</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/audit_names.py" line="70"/>
        <source>Refund refused</source>
        <translation>Marejesho yamekataliwa</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/audit_names.py" line="71"/>
        <source>Refund asked for</source>
        <translation>Marejesho yameombwa</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/audit_names.py" line="72"/>
        <source>Relay paired</source>
        <translation>Relay imeunganishwa</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/audit_names.py" line="73"/>
        <source>Relay pairing failed</source>
        <translation>Kuunganisha relay kumeshindikana</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/audit_names.py" line="74"/>
        <source>Cash sale</source>
        <translation>Mauzo ya pesa taslimu</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/audit_names.py" line="75"/>
        <source>Sale voided</source>
        <translation>Mauzo yamebatilishwa</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/audit_names.py" line="76"/>
        <source>Settings changed</source>
        <translation>Mipangilio imebadilishwa</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/audit_names.py" line="77"/>
        <source>Shift closed</source>
        <translation>Zamu imefungwa</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/audit_names.py" line="78"/>
        <source>Shift opened</source>
        <translation>Zamu imefunguliwa</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/audit_names.py" line="79"/>
        <source>Unsynced work overridden</source>
        <translation>Kazi isiyosawazishwa imeruhusiwa</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/audit_names.py" line="80"/>
        <source>User activated</source>
        <translation>Mtumiaji amewezeshwa</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/audit_names.py" line="81"/>
        <source>User added</source>
        <translation>Mtumiaji ameongezwa</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/audit_names.py" line="82"/>
        <source>User deactivated</source>
        <translation>Mtumiaji amezimwa</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/audit_names.py" line="83"/>
        <source>Language changed</source>
        <translation>Lugha imebadilishwa</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/audit_names.py" line="84"/>
        <source>PIN changed</source>
        <translation>PIN imebadilishwa</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/audit_names.py" line="85"/>
        <source>Wrong PIN</source>
        <translation>PIN si sahihi</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/audit_names.py" line="86"/>
        <source>PIN reset</source>
        <translation>PIN imewekwa upya</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/audit_names.py" line="87"/>
        <source>Signed in</source>
        <translation>Ameingia</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/audit_names.py" line="88"/>
        <source>Void refused</source>
        <translation>Ubatilishaji umekataliwa</translation>
    </message>
</context>
<context>
    <name>AuditPage</name>
    <message>
        <location filename="../../pos_app/ui/supervisor/audit_page.py" line="45"/>
        <source>Audit trail</source>
        <translation>Kumbukumbu za ukaguzi</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/audit_page.py" line="50"/>
        <source>Everybody</source>
        <translation>Kila mtu</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/audit_page.py" line="53"/>
        <source>All actions</source>
        <translation>Vitendo vyote</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/audit_page.py" line="54"/>
        <source>Only from</source>
        <translation>Kuanzia tu</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/audit_page.py" line="62"/>
        <source>Show</source>
        <translation>Onyesha</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/audit_page.py" line="70"/>
        <location filename="../../pos_app/ui/supervisor/audit_page.py" line="101"/>
        <source>User</source>
        <translation>Mtumiaji</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/audit_page.py" line="72"/>
        <location filename="../../pos_app/ui/supervisor/audit_page.py" line="102"/>
        <source>Action</source>
        <translation>Kitendo</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/audit_page.py" line="78"/>
        <source>to</source>
        <translation>hadi</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/audit_page.py" line="85"/>
        <source>Verify the chain</source>
        <translation>Hakiki mnyororo</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/audit_page.py" line="88"/>
        <source>Export CSV…</source>
        <translation>Hamisha CSV…</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/audit_page.py" line="99"/>
        <source>No.</source>
        <translation>Na.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/audit_page.py" line="100"/>
        <source>When</source>
        <translation>Lini</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/audit_page.py" line="103"/>
        <source>What</source>
        <translation>Nini</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/audit_page.py" line="104"/>
        <source>Details</source>
        <translation>Maelezo</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/audit_page.py" line="110"/>
        <source>No audit entries match these filters.</source>
        <translation>Hakuna kumbukumbu zinazolingana na vichujio hivi.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/audit_page.py" line="183"/>
        <source>Checking every entry…</source>
        <translation>Inakagua kila kumbukumbu…</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/audit_page.py" line="195"/>
        <source>The chain is intact: all %1 entries are as they were written.</source>
        <translation>Mnyororo uko salama: kumbukumbu zote %1 ziko kama zilivyoandikwa.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/audit_page.py" line="201"/>
        <source>The audit trail was altered. First broken entry: No. %1 (%2, %3, %4). Every later entry is unproven. Call the shop owner.</source>
        <translation>Kumbukumbu za ukaguzi zimebadilishwa. Kumbukumbu ya kwanza iliyovunjika: Na. %1 (%2, %3, %4). Kila kumbukumbu inayofuata haijathibitishwa. Mpigie mwenye duka.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/audit_page.py" line="225"/>
        <source>Export audit trail</source>
        <translation>Hamisha kumbukumbu za ukaguzi</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/audit_page.py" line="227"/>
        <source>CSV files (*.csv)</source>
        <translation>Faili za CSV (*.csv)</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/audit_page.py" line="239"/>
        <source>Saved %1</source>
        <translation>Imehifadhiwa %1</translation>
    </message>
</context>
<context>
    <name>RefundsPage</name>
    <message>
        <location filename="../../pos_app/ui/supervisor/refunds_page.py" line="100"/>
        <source>Refunds and voids</source>
        <translation>Marejesho na ubatilishaji</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/refunds_page.py" line="99"/>
        <source>Refresh</source>
        <translation>Onyesha upya</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/refunds_page.py" line="103"/>
        <source>Find: receipt number, amount or phone</source>
        <translation>Tafuta: namba ya risiti, kiasi au simu</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/refunds_page.py" line="114"/>
        <source>Receipt</source>
        <translation>Risiti</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/refunds_page.py" line="115"/>
        <location filename="../../pos_app/ui/supervisor/refunds_page.py" line="192"/>
        <source>When</source>
        <translation>Lini</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/refunds_page.py" line="116"/>
        <source>Items</source>
        <translation>Bidhaa</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/refunds_page.py" line="117"/>
        <source>Total</source>
        <translation>Jumla</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/refunds_page.py" line="118"/>
        <source>Paid by</source>
        <translation>Imelipwa kwa</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/refunds_page.py" line="125"/>
        <source>No paid sales yet.</source>
        <translation>Bado hakuna mauzo yaliyolipwa.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/refunds_page.py" line="129"/>
        <source>Give money back</source>
        <translation>Rudisha pesa</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/refunds_page.py" line="134"/>
        <location filename="../../pos_app/ui/supervisor/refunds_page.py" line="194"/>
        <source>How</source>
        <translation>Vipi</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/refunds_page.py" line="138"/>
        <source>Item</source>
        <translation>Bidhaa</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/refunds_page.py" line="139"/>
        <source>Sold</source>
        <translation>Iliyouzwa</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/refunds_page.py" line="140"/>
        <source>Back already</source>
        <translation>Imerudishwa</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/refunds_page.py" line="141"/>
        <source>Return</source>
        <translation>Rudisha</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/refunds_page.py" line="142"/>
        <source>Comes back</source>
        <translation>Kinarudishwa</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/refunds_page.py" line="153"/>
        <location filename="../../pos_app/ui/supervisor/refunds_page.py" line="193"/>
        <source>Amount</source>
        <translation>Kiasi</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/refunds_page.py" line="157"/>
        <source>e.g. SGR4T7YU2P</source>
        <translation>k.m. SGR4T7YU2P</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/refunds_page.py" line="158"/>
        <source>M-Pesa reversal code</source>
        <translation>Msimbo wa kurudisha M-Pesa</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/refunds_page.py" line="163"/>
        <source>Why is the money given back?</source>
        <translation>Kwa nini pesa zinarudishwa?</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/refunds_page.py" line="164"/>
        <location filename="../../pos_app/ui/supervisor/refunds_page.py" line="196"/>
        <source>Reason</source>
        <translation>Sababu</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/refunds_page.py" line="168"/>
        <source>Supervisor</source>
        <translation>Msimamizi</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/refunds_page.py" line="171"/>
        <source>PIN</source>
        <translation>PIN</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/refunds_page.py" line="174"/>
        <source>Refund</source>
        <translation>Rejesha</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/refunds_page.py" line="177"/>
        <location filename="../../pos_app/ui/supervisor/refunds_page.py" line="440"/>
        <source>Void the whole sale</source>
        <translation>Batilisha mauzo yote</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/refunds_page.py" line="189"/>
        <source>Recent refunds</source>
        <translation>Marejesho ya hivi karibuni</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/refunds_page.py" line="195"/>
        <source>Status</source>
        <translation>Hali</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/refunds_page.py" line="199"/>
        <source>No refunds given.</source>
        <translation>Hakuna marejesho yaliyotolewa.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/refunds_page.py" line="288"/>
        <source>%1 paid %2, can still refund %3</source>
        <translation>%1 imelipa %2, bado inaweza kurejeshwa %3</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/refunds_page.py" line="293"/>
        <source>shift open</source>
        <translation>zamu iko wazi</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/refunds_page.py" line="293"/>
        <source>shift closed</source>
        <translation>zamu imefungwa</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/refunds_page.py" line="314"/>
        <source>Waiting for %1</source>
        <translation>Inasubiri %1</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/refunds_page.py" line="362"/>
        <source>Flutterwave refunds the card or mobile money through the relay.</source>
        <translation>Flutterwave inarejesha pesa kwenye kadi au pesa za simu kupitia relay.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/refunds_page.py" line="364"/>
        <source>Stripe refunds the card through the relay.</source>
        <translation>Stripe inarejesha pesa kwenye kadi kupitia relay.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/refunds_page.py" line="440"/>
        <source>Void these lines</source>
        <translation>Batilisha mistari hii</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/refunds_page.py" line="613"/>
        <source>The refund slip could not be saved in %1: check that the folder can be written to.</source>
        <translation>Stakabadhi ya kurejesha haikuweza kuhifadhiwa katika %1: hakikisha folda inaweza kuandikiwa.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/refunds_page.py" line="625"/>
        <source>Refund slip saved: %1</source>
        <translation>Stakabadhi ya kurejesha imehifadhiwa: %1</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/refunds_page.py" line="532"/>
        <source>The lines were voided: %1 given back.</source>
        <translation>Mistari imebatilishwa: %1 imerudishwa.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/refunds_page.py" line="598"/>
        <source>Refund: %1</source>
        <translation>Marejesho: %1</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/refunds_page.py" line="599"/>
        <source>*** REFUND ***</source>
        <translation>*** MAREJESHO ***</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/refunds_page.py" line="315"/>
        <source>Done</source>
        <translation>Imekamilika</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/refunds_page.py" line="316"/>
        <source>Failed</source>
        <translation>Imeshindikana</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/refunds_page.py" line="329"/>
        <source>Paid in parts: pick the payment to refund below.</source>
        <translation>Imelipwa kwa sehemu: chagua malipo ya kurejesha hapa chini.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/refunds_page.py" line="352"/>
        <source>Pick a paid sale above.</source>
        <translation>Chagua mauzo yaliyolipwa hapo juu.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/refunds_page.py" line="356"/>
        <source>Hand the cash back from the drawer.</source>
        <translation>Rudisha pesa taslimu kutoka droo.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/refunds_page.py" line="358"/>
        <source>Reverse it on the M-Pesa business phone first, then type the code here.</source>
        <translation>Kwanza rudisha muamala kwenye simu ya biashara ya M-Pesa, kisha andika msimbo hapa.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/refunds_page.py" line="360"/>
        <source>Paystack refunds the card through the relay.</source>
        <translation>Paystack inarejesha pesa kwenye kadi kupitia relay.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/refunds_page.py" line="366"/>
        <source>Send the transfer back from the bank, then record it here.</source>
        <translation>Rudisha uhamisho kutoka benki, kisha uandike hapa.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/refunds_page.py" line="374"/>
        <location filename="../../pos_app/ui/supervisor/refunds_page.py" line="399"/>
        <source>up to %1</source>
        <translation>hadi %1</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/refunds_page.py" line="460"/>
        <source>Type the amount to give back.</source>
        <translation>Andika kiasi cha kurudisha.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/refunds_page.py" line="474"/>
        <location filename="../../pos_app/ui/supervisor/refunds_page.py" line="498"/>
        <source>Refund recorded: %1.</source>
        <translation>Rejesho limeandikwa: %1.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/refunds_page.py" line="542"/>
        <source>The sale was voided.</source>
        <translation>Mauzo yamebatilishwa.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/refunds_page.py" line="557"/>
        <source>Type the supervisor&apos;s PIN.</source>
        <translation>Andika PIN ya msimamizi.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/refunds_page.py" line="561"/>
        <source>Checking…</source>
        <translation>Inakagua…</translation>
    </message>
</context>
<context>
    <name>ReportsPage</name>
    <message>
        <location filename="../../pos_app/ui/supervisor/reports_page.py" line="73"/>
        <source>Reports</source>
        <translation>Ripoti</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/reports_page.py" line="81"/>
        <source>From</source>
        <translation>Kuanzia</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/reports_page.py" line="83"/>
        <source>to</source>
        <translation>hadi</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/reports_page.py" line="85"/>
        <source>Show</source>
        <translation>Onyesha</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/reports_page.py" line="89"/>
        <source>Export CSV…</source>
        <translation>Hamisha CSV…</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/reports_page.py" line="91"/>
        <source>Export PDF…</source>
        <translation>Hamisha PDF…</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/reports_page.py" line="112"/>
        <location filename="../../pos_app/ui/supervisor/reports_page.py" line="122"/>
        <location filename="../../pos_app/ui/supervisor/reports_page.py" line="132"/>
        <source>Method</source>
        <translation>Njia</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/reports_page.py" line="112"/>
        <location filename="../../pos_app/ui/supervisor/reports_page.py" line="132"/>
        <source>Sales</source>
        <translation>Mauzo</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/reports_page.py" line="112"/>
        <location filename="../../pos_app/ui/supervisor/reports_page.py" line="117"/>
        <location filename="../../pos_app/ui/supervisor/reports_page.py" line="122"/>
        <location filename="../../pos_app/ui/supervisor/reports_page.py" line="127"/>
        <location filename="../../pos_app/ui/supervisor/reports_page.py" line="132"/>
        <location filename="../../pos_app/ui/supervisor/reports_page.py" line="141"/>
        <source>Amount</source>
        <translation>Kiasi</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/reports_page.py" line="117"/>
        <location filename="../../pos_app/ui/supervisor/reports_page.py" line="122"/>
        <source>Since</source>
        <translation>Tangu</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/reports_page.py" line="117"/>
        <location filename="../../pos_app/ui/supervisor/reports_page.py" line="122"/>
        <source>Order</source>
        <translation>Oda</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/reports_page.py" line="119"/>
        <source>No cash-on-delivery order is waiting for its money.</source>
        <translation>Hakuna oda ya malipo wakati wa kupokea inayosubiri pesa zake.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/reports_page.py" line="124"/>
        <source>No proof is waiting for a decision.</source>
        <translation>Hakuna uthibitisho unaosubiri uamuzi.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/reports_page.py" line="127"/>
        <location filename="../../pos_app/ui/supervisor/reports_page.py" line="149"/>
        <source>When</source>
        <translation>Lini</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/reports_page.py" line="127"/>
        <source>How</source>
        <translation>Vipi</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/reports_page.py" line="127"/>
        <source>By</source>
        <translation>Na</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/reports_page.py" line="127"/>
        <source>Reason</source>
        <translation>Sababu</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/reports_page.py" line="129"/>
        <source>No refunds in these days.</source>
        <translation>Hakuna marejesho katika siku hizi.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/reports_page.py" line="132"/>
        <source>Day</source>
        <translation>Siku</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/reports_page.py" line="138"/>
        <source>Received</source>
        <translation>Ilipokelewa</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/reports_page.py" line="139"/>
        <source>Provider</source>
        <translation>Mtoa huduma</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/reports_page.py" line="140"/>
        <source>Receipt</source>
        <translation>Risiti</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/reports_page.py" line="142"/>
        <source>Paid by</source>
        <translation>Amelipa</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/reports_page.py" line="143"/>
        <source>State</source>
        <translation>Hali</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/reports_page.py" line="146"/>
        <source>All money the relay reported belongs to a sale.</source>
        <translation>Pesa zote zilizoripotiwa na relay ni za mauzo fulani.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/reports_page.py" line="149"/>
        <source>Event</source>
        <translation>Tukio</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/reports_page.py" line="149"/>
        <source>Why the relay refused it</source>
        <translation>Kwa nini relay ilikataa</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/reports_page.py" line="151"/>
        <source>The relay has taken every event this till sent.</source>
        <translation>Relay imepokea kila tukio ambalo mashine hii ilituma.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/reports_page.py" line="153"/>
        <location filename="../../pos_app/ui/supervisor/reports_page.py" line="393"/>
        <source>By payment method</source>
        <translation>Kwa njia ya malipo</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/reports_page.py" line="154"/>
        <source>By day</source>
        <translation>Kwa siku</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/reports_page.py" line="155"/>
        <location filename="../../pos_app/ui/supervisor/reports_page.py" line="397"/>
        <source>Open cash on delivery</source>
        <translation>COD zilizo wazi</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/reports_page.py" line="156"/>
        <location filename="../../pos_app/ui/supervisor/reports_page.py" line="405"/>
        <source>Proofs waiting</source>
        <translation>Uthibitisho unaosubiri</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/reports_page.py" line="157"/>
        <location filename="../../pos_app/ui/supervisor/reports_page.py" line="414"/>
        <source>Refunds</source>
        <translation>Marejesho</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/reports_page.py" line="158"/>
        <source>Money matching no sale</source>
        <translation>Pesa bila mauzo</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/reports_page.py" line="159"/>
        <source>Refused by the relay</source>
        <translation>Zilizokataliwa na relay</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/reports_page.py" line="200"/>
        <source>Taken by another till</source>
        <translation>Yamechukuliwa na mashine nyingine</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/reports_page.py" line="202"/>
        <source>Matches no sale yet</source>
        <translation>Bado hayalingani na mauzo yoyote</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/reports_page.py" line="205"/>
        <source>test (not money)</source>
        <translation>majaribio (si pesa)</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/reports_page.py" line="239"/>
        <source>Money matching no sale (%1)</source>
        <translation>Pesa bila mauzo (%1)</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/reports_page.py" line="242"/>
        <source>Refused by the relay (%1)</source>
        <translation>Zilizokataliwa na relay (%1)</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/reports_page.py" line="245"/>
        <source>Sales %1 – %2: %3</source>
        <translation>Mauzo %1 – %2: %3</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/reports_page.py" line="114"/>
        <location filename="../../pos_app/ui/supervisor/reports_page.py" line="134"/>
        <location filename="../../pos_app/ui/supervisor/reports_page.py" line="260"/>
        <location filename="../../pos_app/ui/supervisor/reports_page.py" line="388"/>
        <source>No sales in these days.</source>
        <translation>Hakuna mauzo katika siku hizi.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/reports_page.py" line="251"/>
        <source>Test payments (not money): %1 in %2 payments, in no total above.</source>
        <translation>Malipo ya majaribio (si pesa): %1 katika malipo %2, hayamo katika jumla yoyote hapo juu.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/reports_page.py" line="307"/>
        <source>Open cash on delivery (%1)</source>
        <translation>COD zilizo wazi (%1)</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/reports_page.py" line="310"/>
        <source>Proofs waiting (%1)</source>
        <translation>Uthibitisho unaosubiri (%1)</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/reports_page.py" line="312"/>
        <source>Refunds (%1)</source>
        <translation>Marejesho (%1)</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/reports_page.py" line="318"/>
        <location filename="../../pos_app/ui/supervisor/reports_page.py" line="327"/>
        <source>Export report</source>
        <translation>Hamisha ripoti</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/reports_page.py" line="320"/>
        <source>CSV files (*.csv)</source>
        <translation>Faili za CSV (*.csv)</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/reports_page.py" line="329"/>
        <source>PDF files (*.pdf)</source>
        <translation>Faili za PDF (*.pdf)</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/reports_page.py" line="343"/>
        <location filename="../../pos_app/ui/supervisor/reports_page.py" line="362"/>
        <source>Saved %1</source>
        <translation>Imehifadhiwa %1</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/reports_page.py" line="356"/>
        <location filename="../../pos_app/ui/supervisor/reports_page.py" line="371"/>
        <source>Sales report</source>
        <translation>Ripoti ya mauzo</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/reports_page.py" line="429"/>
        <source>None.</source>
        <translation>Hakuna.</translation>
    </message>
</context>
<context>
    <name>SettingsPage</name>
    <message>
        <location filename="../../pos_app/ui/supervisor/settings_page.py" line="68"/>
        <source>Settings</source>
        <translation>Mipangilio</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/settings_page.py" line="71"/>
        <source>Shop and receipts</source>
        <translation>Duka na risiti</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/settings_page.py" line="75"/>
        <source>Shop name</source>
        <translation>Jina la duka</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/settings_page.py" line="81"/>
        <source>VAT rate (prices include VAT)</source>
        <translation>Kiwango cha VAT (bei zinajumuisha VAT)</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/settings_page.py" line="86"/>
        <source>Country (tax classes)</source>
        <translation>Nchi (madaraja ya kodi)</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/settings_page.py" line="92"/>
        <source>Printed before each receipt number, e.g. TILL1-000123: 1-12 letters or digits.</source>
        <translation>Huchapishwa kabla ya kila namba ya risiti, mf. TILL1-000123: herufi au tarakimu 1-12.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/settings_page.py" line="95"/>
        <source>Receipt prefix</source>
        <translation>Kiambishi cha risiti</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/settings_page.py" line="99"/>
        <source>Receipt header</source>
        <translation>Kichwa cha risiti</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/settings_page.py" line="103"/>
        <source>Receipt footer</source>
        <translation>Maandishi ya chini ya risiti</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/settings_page.py" line="105"/>
        <source>Shop language</source>
        <translation>Lugha ya duka</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/settings_page.py" line="110"/>
        <source>The prefixes (20-29) of the labels your scales print, each with what its label carries: weight (grams) or price. The item code on the label is the product&apos;s SKU (5 digits).</source>
        <translation>Viambishi (20-29) vya lebo zinazochapishwa na mizani yako, kila kimoja na kile lebo yake inachobeba: uzito (gramu) au bei. Namba ya bidhaa kwenye lebo ni SKU ya bidhaa (tarakimu 5).</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/settings_page.py" line="114"/>
        <source>Scale labels</source>
        <translation>Lebo za mizani</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/settings_page.py" line="116"/>
        <source>Sign every sale with KRA eTIMS (Kenya, VAT-registered)</source>
        <translation>Saini kila mauzo kwa KRA eTIMS (Kenya, waliosajiliwa kwa VAT)</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/settings_page.py" line="121"/>
        <source>Payments and risk</source>
        <translation>Malipo na hatari</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/settings_page.py" line="126"/>
        <source>Risk threshold (0-100)</source>
        <translation>Kiwango cha hatari (0-100)</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/settings_page.py" line="129"/>
        <source>A supervisor approves every proof</source>
        <translation>Msimamizi anaidhinisha kila uthibitisho</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/settings_page.py" line="131"/>
        <source>Cashier may accept low-risk proofs</source>
        <translation>Keshia anaweza kukubali uthibitisho wa hatari ndogo</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/settings_page.py" line="133"/>
        <source>Offline proofs</source>
        <translation>Uthibitisho bila mtandao</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/settings_page.py" line="141"/>
        <source>A cashier may give a discount up to this percent alone; above it a supervisor&apos;s PIN is asked.</source>
        <translation>Keshia anaweza kutoa punguzo hadi asilimia hii peke yake; zaidi ya hapo PIN ya msimamizi inahitajika.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/settings_page.py" line="144"/>
        <source>Cashier&apos;s discount limit</source>
        <translation>Kikomo cha punguzo la keshia</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/settings_page.py" line="145"/>
        <source>A supervisor may approve their own proof</source>
        <translation>Msimamizi anaweza kuidhinisha uthibitisho wake mwenyewe</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/settings_page.py" line="148"/>
        <source>New PINs have at least 6 digits</source>
        <translation>PIN mpya ziwe na tarakimu 6 au zaidi</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/settings_page.py" line="155"/>
        <source>Save settings</source>
        <translation>Hifadhi mipangilio</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/settings_page.py" line="162"/>
        <source>Relay and providers</source>
        <translation>Relay na watoa huduma</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/settings_page.py" line="170"/>
        <source>Test mode is set by the shop&apos;s owner in the console.</source>
        <translation>Hali ya majaribio huwekwa na mwenye duka kwenye dashibodi.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/settings_page.py" line="178"/>
        <source>Relay address</source>
        <translation>Anwani ya relay</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/settings_page.py" line="181"/>
        <source>from the shop owner&apos;s relay page</source>
        <translation>kutoka ukurasa wa relay wa mwenye duka</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/settings_page.py" line="182"/>
        <source>Pairing code</source>
        <translation>Msimbo wa kuunganisha</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/settings_page.py" line="183"/>
        <source>Pair this till</source>
        <translation>Unganisha mashine hii</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/settings_page.py" line="187"/>
        <source>Check the ledger now</source>
        <translation>Kagua daftari sasa</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/settings_page.py" line="190"/>
        <source>Restore from backup / relay</source>
        <translation>Rejesha kutoka nakala / relay</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/settings_page.py" line="193"/>
        <source>Replace this till&apos;s ledger with its last backup plus the relay&apos;s copy of its records (a supervisor&apos;s PIN; the till stops selling meanwhile).</source>
        <translation>Badilisha daftari la mashine hii kwa nakala yake ya mwisho pamoja na nakala ya relay ya rekodi zake (PIN ya msimamizi; mashine haiuzi wakati huo).</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/settings_page.py" line="219"/>
        <source>%1: test mode (no real money)</source>
        <translation>%1: hali ya majaribio (si pesa halisi)</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/settings_page.py" line="221"/>
        <source>%1: live money</source>
        <translation>%1: pesa halisi</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/settings_page.py" line="230"/>
        <source>Checking the ledger…</source>
        <translation>Inakagua daftari…</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/settings_page.py" line="235"/>
        <source>The ledger is sound.</source>
        <translation>Daftari liko salama.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/settings_page.py" line="275"/>
        <source>The receipt prefix is 1-12 letters or digits, e.g. TILL1.</source>
        <translation>Kiambishi cha risiti ni herufi au tarakimu 1-12, mf. TILL1.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/settings_page.py" line="299"/>
        <source>Change the shop&apos;s settings</source>
        <translation>Badilisha mipangilio ya duka</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/settings_page.py" line="307"/>
        <source>Saved.</source>
        <translation>Imehifadhiwa.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/settings_page.py" line="321"/>
        <source>Pair this till with a relay</source>
        <translation>Unganisha kaunta hii na relay</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/settings_page.py" line="325"/>
        <source>Contacting the relay…</source>
        <translation>Inawasiliana na relay…</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/settings_page.py" line="332"/>
        <source>Paired with %1 (%2).</source>
        <translation>Imeunganishwa na %1 (%2).</translation>
    </message>
</context>
<context>
    <name>Supervisor</name>
    <message>
        <location filename="../../pos_app/ui/supervisor/approvals_page.py" line="55"/>
        <source>Far above this shop&apos;s usual sale.</source>
        <translation>Juu sana kuliko mauzo ya kawaida ya duka hili.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/approvals_page.py" line="58"/>
        <source>Many payment attempts in a few minutes.</source>
        <translation>Majaribio mengi ya kulipa ndani ya dakika chache.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/approvals_page.py" line="61"/>
        <source>This receipt / reference code was already used.</source>
        <translation>Msimbo huu wa risiti / kumbukumbu ulishatumika.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/approvals_page.py" line="64"/>
        <source>The amount or currency paid differs from the amount asked.</source>
        <translation>Kiasi au sarafu iliyolipwa ni tofauti na kilichoombwa.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/approvals_page.py" line="67"/>
        <source>First payment from this customer.</source>
        <translation>Malipo ya kwanza ya mteja huyu.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/approvals_page.py" line="70"/>
        <source>Manual proof: nobody but the cashier has seen this money.</source>
        <translation>Uthibitisho wa mkono: hakuna aliyeona pesa hizi isipokuwa keshia.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/approvals_page.py" line="73"/>
        <source>Paid after the till had given up waiting.</source>
        <translation>Imelipwa baada ya mashine kuacha kusubiri.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/approvals_page.py" line="82"/>
        <source>Proof</source>
        <translation>Uthibitisho</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/approvals_page.py" line="83"/>
        <source>Unclear outcome</source>
        <translation>Matokeo yasiyo wazi</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/approvals_page.py" line="84"/>
        <source>High risk</source>
        <translation>Hatari kubwa</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/approvals_page.py" line="90"/>
        <source>Cash</source>
        <translation>Pesa taslimu</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/approvals_page.py" line="91"/>
        <source>Cash on delivery</source>
        <translation>Malipo wakati wa kupokea</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/approvals_page.py" line="92"/>
        <source>M-Pesa prompt</source>
        <translation>Ombi la M-Pesa</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/approvals_page.py" line="93"/>
        <source>M-Pesa paybill</source>
        <translation>Paybill ya M-Pesa</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/approvals_page.py" line="94"/>
        <source>Paystack link</source>
        <translation>Kiungo cha Paystack</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/approvals_page.py" line="95"/>
        <source>Flutterwave link</source>
        <translation>Kiungo cha Flutterwave</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/approvals_page.py" line="96"/>
        <source>Stripe Checkout</source>
        <translation>Malipo ya Stripe Checkout</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/approvals_page.py" line="97"/>
        <source>Bank transfer</source>
        <translation>Uhamisho wa benki</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/approvals_page.py" line="98"/>
        <source>Mobile money (manual)</source>
        <translation>Pesa za simu (kwa mkono)</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/approvals_page.py" line="99"/>
        <source>Cash from the drawer</source>
        <translation>Pesa taslimu kutoka droo</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/approvals_page.py" line="100"/>
        <source>M-Pesa reversal</source>
        <translation>Kurudisha M-Pesa</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/approvals_page.py" line="101"/>
        <source>Paystack refund</source>
        <translation>Rejesho la Paystack</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/approvals_page.py" line="102"/>
        <source>Flutterwave refund</source>
        <translation>Marejesho ya Flutterwave</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/approvals_page.py" line="103"/>
        <source>Stripe refund</source>
        <translation>Marejesho ya Stripe</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/__init__.py" line="33"/>
        <source>Approvals</source>
        <translation>Idhini</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/__init__.py" line="36"/>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/__init__.py" line="77"/>
        <source>Refunds</source>
        <translation>Marejesho</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/__init__.py" line="82"/>
        <source>Reports</source>
        <translation>Ripoti</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/__init__.py" line="96"/>
        <source>Staff</source>
        <translation>Wafanyakazi</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/__init__.py" line="101"/>
        <source>Settings</source>
        <translation>Mipangilio</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/__init__.py" line="114"/>
        <source>Audit trail</source>
        <translation>Ukaguzi</translation>
    </message>
</context>
<context>
    <name>UsersPage</name>
    <message>
        <location filename="../../pos_app/ui/supervisor/users_page.py" line="44"/>
        <source>Staff</source>
        <translation>Wafanyakazi</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/users_page.py" line="46"/>
        <location filename="../../pos_app/ui/supervisor/users_page.py" line="56"/>
        <source>Name</source>
        <translation>Jina</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/users_page.py" line="46"/>
        <location filename="../../pos_app/ui/supervisor/users_page.py" line="61"/>
        <source>Role</source>
        <translation>Jukumu</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/users_page.py" line="46"/>
        <source>Status</source>
        <translation>Hali</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/users_page.py" line="46"/>
        <location filename="../../pos_app/ui/supervisor/users_page.py" line="63"/>
        <location filename="../../pos_app/ui/supervisor/users_page.py" line="85"/>
        <source>Language</source>
        <translation>Lugha</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/users_page.py" line="52"/>
        <source>Add a person</source>
        <translation>Ongeza mtu</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/users_page.py" line="59"/>
        <location filename="../../pos_app/ui/supervisor/users_page.py" line="117"/>
        <source>Cashier</source>
        <translation>Keshia</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/users_page.py" line="60"/>
        <location filename="../../pos_app/ui/supervisor/users_page.py" line="117"/>
        <source>Supervisor</source>
        <translation>Msimamizi</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/users_page.py" line="65"/>
        <source>PIN (4-8 digits)</source>
        <translation>PIN (tarakimu 4-8)</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/users_page.py" line="66"/>
        <source>Add</source>
        <translation>Ongeza</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/users_page.py" line="72"/>
        <source>The person picked in the list</source>
        <translation>Mtu aliyechaguliwa kwenye orodha</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/users_page.py" line="75"/>
        <source>New PIN</source>
        <translation>PIN mpya</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/users_page.py" line="76"/>
        <source>Reset PIN</source>
        <translation>Weka PIN upya</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/users_page.py" line="81"/>
        <source>Set language</source>
        <translation>Weka lugha</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/users_page.py" line="86"/>
        <source>Deactivate</source>
        <translation>Zima</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/users_page.py" line="89"/>
        <source>Activate again</source>
        <translation>Washa tena</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/users_page.py" line="123"/>
        <source>active</source>
        <translation>hai</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/users_page.py" line="123"/>
        <source>deactivated</source>
        <translation>amezimwa</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/users_page.py" line="132"/>
        <source>Change the staff list</source>
        <translation>Badilisha orodha ya wafanyakazi</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/users_page.py" line="158"/>
        <source>%1 can now sign in.</source>
        <translation>%1 sasa anaweza kuingia.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/users_page.py" line="202"/>
        <source>Pick a person in the list first.</source>
        <translation>Kwanza chagua mtu kwenye orodha.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/users_page.py" line="171"/>
        <source>The PIN was reset.</source>
        <translation>PIN imewekwa upya.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/users_page.py" line="183"/>
        <source>Language changed: it applies at their next sign-in.</source>
        <translation>Lugha imebadilishwa: itatumika wakati ujao atakapoingia.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/users_page.py" line="194"/>
        <source>Activated.</source>
        <translation>Amewashwa.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/supervisor/users_page.py" line="196"/>
        <source>Deactivated: they can no longer sign in.</source>
        <translation>Amezimwa: hawezi kuingia tena.</translation>
    </message>
</context>
</TS>
