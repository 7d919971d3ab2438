<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="sw">
<context>
    <name>App</name>
    <message>
        <location filename="../../pos_app/app.py" line="289"/>
        <source>supervisor</source>
        <translation>msimamizi</translation>
    </message>
    <message>
        <location filename="../../pos_app/app.py" line="291"/>
        <source>cashier</source>
        <translation>keshia</translation>
    </message>
    <message>
        <location filename="../../pos_app/app.py" line="407"/>
        <source>Duka POS cannot start</source>
        <translation>Duka POS haiwezi kuanza</translation>
    </message>
    <message>
        <location filename="../../pos_app/app.py" line="510"/>
        <source>Opening the till&apos;s ledger…</source>
        <translation>Inafungua daftari la mauzo…</translation>
    </message>
</context>
<context>
    <name>CartModel</name>
    <message>
        <location filename="../../pos_app/ui/cashier/cart.py" line="143"/>
        <source>Item</source>
        <translation>Bidhaa</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/cart.py" line="143"/>
        <source>Qty</source>
        <translation>Idadi</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/cart.py" line="143"/>
        <source>Price</source>
        <translation>Bei</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/cart.py" line="143"/>
        <source>Total</source>
        <translation>Jumla</translation>
    </message>
</context>
<context>
    <name>CashDialog</name>
    <message>
        <location filename="../../pos_app/ui/cashier/cash_dialog.py" line="37"/>
        <source>Cash</source>
        <translation>Pesa taslimu</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/cash_dialog.py" line="44"/>
        <source>Pay in cash (less for a split tender)</source>
        <translation>Lipa kwa pesa taslimu (kidogo zaidi ili kugawanya malipo)</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/cash_dialog.py" line="48"/>
        <source>Cash received</source>
        <translation>Pesa iliyopokelewa</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/cash_dialog.py" line="54"/>
        <source>Exact</source>
        <translation>Kamili</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/cash_dialog.py" line="72"/>
        <source>Back</source>
        <translation>Rudi</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/cash_dialog.py" line="72"/>
        <source>Take cash</source>
        <translation>Pokea pesa</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/cash_dialog.py" line="97"/>
        <source>Type the amount to pay in cash.</source>
        <translation>Andika kiasi cha kulipa kwa pesa taslimu.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/cash_dialog.py" line="99"/>
        <source>That is more than is due (%1).</source>
        <translation>Hicho ni zaidi ya kinachodaiwa (%1).</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/cash_dialog.py" line="101"/>
        <source>Type the cash received, or press a note.</source>
        <translation>Andika pesa iliyopokelewa, au bonyeza noti.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/cash_dialog.py" line="103"/>
        <source>Cash received is %1 short.</source>
        <translation>Pesa iliyopokelewa imepungua %1.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/cash_dialog.py" line="110"/>
        <source>Change: —</source>
        <translation>Chenji: —</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/cash_dialog.py" line="115"/>
        <source>Change: %1</source>
        <translation>Chenji: %1</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/cash_dialog.py" line="118"/>
        <source>Still due after this: %1 (choose another tender next).</source>
        <translation>Bado kinadaiwa baada ya hapa: %1 (chagua njia nyingine ya malipo).</translation>
    </message>
</context>
<context>
    <name>CashierPages</name>
    <message>
        <location filename="../../pos_app/ui/cashier/pages.py" line="25"/>
        <source>Sale</source>
        <translation>Mauzo</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/pages.py" line="26"/>
        <source>COD orders</source>
        <translation>Oda za COD</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/pages.py" line="27"/>
        <source>Sales</source>
        <translation>Mauzo ya leo</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/pages.py" line="28"/>
        <source>Shift</source>
        <translation>Zamu</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/pages.py" line="31"/>
        <source>Products</source>
        <translation>Bidhaa</translation>
    </message>
</context>
<context>
    <name>CataloguePage</name>
    <message>
        <location filename="../../pos_app/ui/cashier/catalogue_page.py" line="66"/>
        <source>Products</source>
        <translation>Bidhaa</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/catalogue_page.py" line="69"/>
        <location filename="../../pos_app/ui/cashier/catalogue_page.py" line="98"/>
        <source>Name</source>
        <translation>Jina</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/catalogue_page.py" line="69"/>
        <location filename="../../pos_app/ui/cashier/catalogue_page.py" line="98"/>
        <source>Price</source>
        <translation>Bei</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/catalogue_page.py" line="70"/>
        <source>SKU</source>
        <translation>SKU</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/catalogue_page.py" line="69"/>
        <location filename="../../pos_app/ui/cashier/catalogue_page.py" line="99"/>
        <source>Barcode</source>
        <translation>Barcode</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/catalogue_page.py" line="49"/>
        <source>Blue</source>
        <translation>Buluu</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/catalogue_page.py" line="50"/>
        <source>Green</source>
        <translation>Kijani</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/catalogue_page.py" line="51"/>
        <source>Orange</source>
        <translation>Chungwa</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/catalogue_page.py" line="52"/>
        <source>Red</source>
        <translation>Nyekundu</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/catalogue_page.py" line="53"/>
        <source>Purple</source>
        <translation>Zambarau</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/catalogue_page.py" line="54"/>
        <source>Teal</source>
        <translation>Samawati</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/catalogue_page.py" line="55"/>
        <source>Brown</source>
        <translation>Kahawia</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/catalogue_page.py" line="56"/>
        <source>Yellow</source>
        <translation>Njano</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/catalogue_page.py" line="69"/>
        <location filename="../../pos_app/ui/cashier/catalogue_page.py" line="99"/>
        <source>Category</source>
        <translation>Aina</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/catalogue_page.py" line="70"/>
        <location filename="../../pos_app/ui/cashier/catalogue_page.py" line="100"/>
        <source>Quick key</source>
        <translation>Kitufe cha haraka</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/catalogue_page.py" line="76"/>
        <source>Product</source>
        <translation>Bidhaa</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/catalogue_page.py" line="86"/>
        <source>e.g. Flour, Drinks</source>
        <translation>k.m. Unga, Vinywaji</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/catalogue_page.py" line="89"/>
        <source>No colour</source>
        <translation>Bila rangi</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/catalogue_page.py" line="95"/>
        <source>None</source>
        <translation>Hakuna</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/catalogue_page.py" line="96"/>
        <source>Its place among the quick keys on the Sale page</source>
        <translation>Nafasi yake kati ya vitufe vya haraka kwenye ukurasa wa Mauzo</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/catalogue_page.py" line="100"/>
        <source>Colour</source>
        <translation>Rangi</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/catalogue_page.py" line="107"/>
        <source>Add as a new product</source>
        <translation>Ongeza kama bidhaa mpya</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/catalogue_page.py" line="110"/>
        <source>Save changes</source>
        <translation>Hifadhi mabadiliko</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/catalogue_page.py" line="115"/>
        <source>Clear</source>
        <translation>Futa</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/catalogue_page.py" line="123"/>
        <source>Load the demo catalogue</source>
        <translation>Pakia orodha ya mfano</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/catalogue_page.py" line="126"/>
        <source>Import CSV…</source>
        <translation>Leta CSV…</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/catalogue_page.py" line="188"/>
        <source>A product needs a name and a price.</source>
        <translation>Bidhaa inahitaji jina na bei.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/catalogue_page.py" line="199"/>
        <source>Add a product</source>
        <translation>Ongeza bidhaa</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/catalogue_page.py" line="208"/>
        <source>Added: %1</source>
        <translation>Imeongezwa: %1</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/catalogue_page.py" line="216"/>
        <source>Change a product</source>
        <translation>Badilisha bidhaa</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/catalogue_page.py" line="221"/>
        <source>Saved: %1</source>
        <translation>Imehifadhiwa: %1</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/catalogue_page.py" line="229"/>
        <source>Import products</source>
        <translation>Leta bidhaa</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/catalogue_page.py" line="231"/>
        <source>CSV files (*.csv)</source>
        <translation>Faili za CSV (*.csv)</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/catalogue_page.py" line="239"/>
        <source>Could not read %1 as a UTF-8 text file.</source>
        <translation>Imeshindwa kusoma %1 kama faili ya maandishi ya UTF-8.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/catalogue_page.py" line="242"/>
        <source>Import products and prices</source>
        <translation>Ingiza bidhaa na bei</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/catalogue_page.py" line="251"/>
        <source>Nothing was imported. Fix these lines and try again:</source>
        <translation>Hakuna kilicholetwa. Rekebisha mistari hii kisha ujaribu tena:</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/catalogue_page.py" line="255"/>
        <source>Imported: %1 new, %2 updated.</source>
        <translation>Zimeletwa: %1 mpya, %2 zimesasishwa.</translation>
    </message>
</context>
<context>
    <name>CodDialog</name>
    <message>
        <location filename="../../pos_app/ui/cashier/cod_dialog.py" line="19"/>
        <source>Cash on delivery</source>
        <translation>Lipa unapopokea</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/cod_dialog.py" line="25"/>
        <source>Customer name</source>
        <translation>Jina la mteja</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/cod_dialog.py" line="28"/>
        <source>e.g. 0712 345 678</source>
        <translation>mf. 0712 345 678</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/cod_dialog.py" line="29"/>
        <source>Phone</source>
        <translation>Simu</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/cod_dialog.py" line="33"/>
        <source>Delivery address</source>
        <translation>Anwani ya kufikisha</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/cod_dialog.py" line="37"/>
        <source>Back</source>
        <translation>Rudi</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/cod_dialog.py" line="37"/>
        <source>Send for delivery</source>
        <translation>Tuma ifikishwe</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/cod_dialog.py" line="47"/>
        <source>Fill in the customer&apos;s name, phone and address.</source>
        <translation>Jaza jina la mteja, simu na anwani.</translation>
    </message>
</context>
<context>
    <name>CodPage</name>
    <message>
        <location filename="../../pos_app/ui/cashier/cod_page.py" line="30"/>
        <source>Orders awaiting cash on delivery</source>
        <translation>Oda zinazosubiri malipo wakati wa kufikisha</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/cod_page.py" line="32"/>
        <source>Sale</source>
        <translation>Mauzo</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/cod_page.py" line="32"/>
        <source>Customer</source>
        <translation>Mteja</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/cod_page.py" line="32"/>
        <source>Phone</source>
        <translation>Simu</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/cod_page.py" line="32"/>
        <source>Address</source>
        <translation>Anwani</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/cod_page.py" line="33"/>
        <source>Amount</source>
        <translation>Kiasi</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/cod_page.py" line="37"/>
        <source>Refresh</source>
        <translation>Onyesha upya</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/cod_page.py" line="40"/>
        <source>Cancel order…</source>
        <translation>Ghairi oda…</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/cod_page.py" line="44"/>
        <source>Cash received</source>
        <translation>Pesa iliyopokelewa</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/cod_page.py" line="75"/>
        <source>No order is waiting for cash on delivery.</source>
        <translation>Hakuna oda inayosubiri malipo wakati wa kufikisha.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/cod_page.py" line="82"/>
        <source>Choose an order first.</source>
        <translation>Chagua oda kwanza.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/cod_page.py" line="91"/>
        <source>Settled.</source>
        <translation>Imelipwa.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/cod_page.py" line="97"/>
        <source>Cancel order</source>
        <translation>Ghairi oda</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/cod_page.py" line="98"/>
        <source>Why is this order cancelled?</source>
        <translation>Kwa nini oda hii inaghairiwa?</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/cod_page.py" line="102"/>
        <source>A cancelled order needs a reason.</source>
        <translation>Oda inayoghairiwa inahitaji sababu.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/cod_page.py" line="105"/>
        <source>Cancelled.</source>
        <translation>Imeghairiwa.</translation>
    </message>
</context>
<context>
    <name>CodSettleDialog</name>
    <message>
        <location filename="../../pos_app/ui/cashier/cod_settle_dialog.py" line="32"/>
        <location filename="../../pos_app/ui/cashier/cod_settle_dialog.py" line="53"/>
        <source>Cash received</source>
        <translation>Pesa iliyopokelewa</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/cod_settle_dialog.py" line="40"/>
        <source>Sale %1 for %2, expected %3.</source>
        <translation>Mauzo %1 ya %2, yanatarajiwa %3.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/cod_settle_dialog.py" line="42"/>
        <source>Sale %1, expected %3.</source>
        <translation>Mauzo %1, yanatarajiwa %3.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/cod_settle_dialog.py" line="57"/>
        <source>e.g. the rider&apos;s name (optional)</source>
        <translation>mf. jina la mpeleka mzigo (si lazima)</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/cod_settle_dialog.py" line="58"/>
        <source>Collected by</source>
        <translation>Imeletwa na</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/cod_settle_dialog.py" line="63"/>
        <source>Back</source>
        <translation>Rudi</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/cod_settle_dialog.py" line="63"/>
        <source>Record the cash</source>
        <translation>Weka pesa iliyopokelewa</translation>
    </message>
</context>
<context>
    <name>CustomLineDialog</name>
    <message>
        <location filename="../../pos_app/ui/cashier/custom_line.py" line="23"/>
        <source>Custom amount</source>
        <translation>Kiasi maalum</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/custom_line.py" line="27"/>
        <source>Other item</source>
        <translation>Bidhaa nyingine</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/custom_line.py" line="30"/>
        <source>Description</source>
        <translation>Maelezo</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/custom_line.py" line="33"/>
        <source>Amount (%1)</source>
        <translation>Kiasi (%1)</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/custom_line.py" line="41"/>
        <source>Add</source>
        <translation>Ongeza</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/custom_line.py" line="42"/>
        <source>Cancel</source>
        <translation>Ghairi</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/custom_line.py" line="51"/>
        <source>Type an amount above zero.</source>
        <translation>Andika kiasi kikubwa kuliko sifuri.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/custom_line.py" line="54"/>
        <source>Type a description.</source>
        <translation>Andika maelezo.</translation>
    </message>
</context>
<context>
    <name>DamageScreen</name>
    <message>
        <location filename="../../pos_app/ui/widgets/damage_screen.py" line="162"/>
        <source>Duka POS has stopped selling</source>
        <translation>Duka POS imesimamisha mauzo</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/widgets/damage_screen.py" line="170"/>
        <source>The till has stopped selling</source>
        <translation>Kaunta imesimamisha mauzo</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/widgets/damage_screen.py" line="175"/>
        <source>Details for support:</source>
        <translation>Maelezo kwa msaada wa kiufundi:</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/widgets/damage_screen.py" line="187"/>
        <source>Restore from backup / relay</source>
        <translation>Rejesha kutoka nakala / relay</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/widgets/damage_screen.py" line="191"/>
        <source>Not now</source>
        <translation>Si sasa</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/widgets/damage_screen.py" line="206"/>
        <source>Restoring… the till does not sell meanwhile. This can take a minute.</source>
        <translation>Inarejesha… mashine haiuzi kwa sasa. Hii inaweza kuchukua dakika moja.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/widgets/damage_screen.py" line="218"/>
        <source>Close Duka POS</source>
        <translation>Funga Duka POS</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/widgets/damage_screen.py" line="228"/>
        <source>Nothing was restored: see why above.</source>
        <translation>Hakuna kilichorejeshwa: ona sababu hapo juu.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/widgets/damage_screen.py" line="191"/>
        <source>Quit</source>
        <translation>Funga</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/widgets/damage_screen.py" line="220"/>
        <source>Restored. The till starts again.</source>
        <translation>Imerejeshwa. Kaunta inaanza tena.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/widgets/damage_screen.py" line="224"/>
        <source>Restored. Close Duka POS and start it again to sell.</source>
        <translation>Imerejeshwa. Funga Duka POS kisha uifungue tena ili kuuza.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/widgets/damage_screen.py" line="226"/>
        <source>Not everything came back: see the list above.</source>
        <translation>Si kila kitu kimerudi: tazama orodha hapo juu.</translation>
    </message>
</context>
<context>
    <name>Keypad</name>
    <message>
        <location filename="../../pos_app/ui/widgets/keypad.py" line="38"/>
        <source>C</source>
        <translation>F</translation>
    </message>
</context>
<context>
    <name>LinkDialog</name>
    <message>
        <location filename="../../pos_app/ui/cashier/link_dialog.py" line="24"/>
        <source>Paystack link</source>
        <translation>Kiungo cha Paystack</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/link_dialog.py" line="25"/>
        <source>Flutterwave link</source>
        <translation>Kiungo cha Flutterwave</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/link_dialog.py" line="26"/>
        <source>Stripe Checkout</source>
        <translation>Malipo ya Stripe Checkout</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/link_dialog.py" line="47"/>
        <source>optional: for the customer&apos;s receipt</source>
        <translation>si lazima: kwa risiti ya mteja</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/link_dialog.py" line="48"/>
        <source>Customer email</source>
        <translation>Barua pepe ya mteja</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/link_dialog.py" line="66"/>
        <source>Copy link</source>
        <translation>Nakili kiungo</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/link_dialog.py" line="72"/>
        <source>Cancel link</source>
        <translation>Ghairi kiungo</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/link_dialog.py" line="77"/>
        <location filename="../../pos_app/ui/cashier/link_dialog.py" line="126"/>
        <source>Back</source>
        <translation>Rudi</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/link_dialog.py" line="81"/>
        <source>Make link</source>
        <translation>Tengeneza kiungo</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/link_dialog.py" line="109"/>
        <source>Link copied.</source>
        <translation>Kiungo kimenakiliwa.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/link_dialog.py" line="114"/>
        <source>Link ready: the customer scans the code and pays by card or bank.</source>
        <translation>Kiungo kiko tayari: mteja achanganue msimbo na alipe kwa kadi au benki.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/link_dialog.py" line="118"/>
        <source>Paid %1</source>
        <translation>Imelipwa %1</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/link_dialog.py" line="126"/>
        <source>Close</source>
        <translation>Funga</translation>
    </message>
</context>
<context>
    <name>OnlineStatus</name>
    <message>
        <location filename="../../pos_app/ui/cashier/online_status.py" line="11"/>
        <source>Getting ready…</source>
        <translation>Inajiandaa…</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/online_status.py" line="13"/>
        <source>Sending the prompt…</source>
        <translation>Inatuma ombi la malipo…</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/online_status.py" line="18"/>
        <source>Prompt sent: waiting for the customer to enter their PIN.</source>
        <translation>Ombi limetumwa: tunasubiri mteja aweke PIN yake.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/online_status.py" line="21"/>
        <source>Ask the customer to check their phone. If nothing arrives, cancel and use the paybill instead.</source>
        <translation>Mwambie mteja aangalie simu yake. Kama hakuna kinachofika, ghairi na utumie paybill.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/online_status.py" line="28"/>
        <location filename="../../pos_app/ui/cashier/online_status.py" line="29"/>
        <source>Paid.</source>
        <translation>Imelipwa.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/online_status.py" line="31"/>
        <source>The customer cancelled the prompt.</source>
        <translation>Mteja ameghairi ombi la malipo.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/online_status.py" line="32"/>
        <source>Try again, or take another tender.</source>
        <translation>Jaribu tena, au tumia njia nyingine ya malipo.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/online_status.py" line="36"/>
        <source>No answer: the phone was unreachable or the prompt timed out.</source>
        <translation>Hakuna jibu: simu haipatikani au muda wa ombi umeisha.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/online_status.py" line="39"/>
        <source>Check the number and try again, or use the paybill.</source>
        <translation>Hakikisha namba kisha ujaribu tena, au tumia paybill.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/online_status.py" line="45"/>
        <source>The payment was declined.</source>
        <translation>Malipo yamekataliwa.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/online_status.py" line="46"/>
        <source>Try again once the customer is ready, or take another tender.</source>
        <translation>Jaribu tena mteja akiwa tayari, au tumia njia nyingine ya malipo.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/online_status.py" line="52"/>
        <source>The outcome is not known yet.</source>
        <translation>Matokeo bado hayajajulikana.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/online_status.py" line="53"/>
        <source>Press Check status; a supervisor can confirm it with the provider.</source>
        <translation>Bonyeza Angalia hali; msimamizi anaweza kuthibitisha na mtoa huduma.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/online_status.py" line="59"/>
        <source>Receipt code recorded: a supervisor must approve it.</source>
        <translation>Namba ya risiti imerekodiwa: msimamizi lazima aiidhinishe.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/online_status.py" line="62"/>
        <source>Until a supervisor approves the code, the sale waits in the list of waiting sales.</source>
        <translation>Hadi msimamizi aidhinishe namba hiyo, mauzo yanasubiri kwenye orodha ya mauzo yanayosubiri.</translation>
    </message>
</context>
<context>
    <name>PinDialog</name>
    <message>
        <location filename="../../pos_app/ui/widgets/pin_dialog.py" line="38"/>
        <source>Supervisor PIN</source>
        <translation>PIN ya msimamizi</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/widgets/pin_dialog.py" line="45"/>
        <source>A supervisor must approve this:</source>
        <translation>Msimamizi lazima aidhinishe hili:</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/widgets/pin_dialog.py" line="55"/>
        <source>Supervisor</source>
        <translation>Msimamizi</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/widgets/pin_dialog.py" line="61"/>
        <source>PIN</source>
        <translation>PIN</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/widgets/pin_dialog.py" line="72"/>
        <source>Approve</source>
        <translation>Idhinisha</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/widgets/pin_dialog.py" line="73"/>
        <source>Cancel</source>
        <translation>Ghairi</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/widgets/pin_dialog.py" line="97"/>
        <source>There is no active supervisor on this till.</source>
        <translation>Hakuna msimamizi anayetumika kwenye mashine hii.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/widgets/pin_dialog.py" line="104"/>
        <source>Choose a supervisor and type their PIN.</source>
        <translation>Chagua msimamizi na uandike PIN yake.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/widgets/pin_dialog.py" line="107"/>
        <source>Checking…</source>
        <translation>Inakagua…</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/widgets/pin_dialog.py" line="129"/>
        <source>The PIN could not be checked.</source>
        <translation>PIN haikuweza kukaguliwa.</translation>
    </message>
</context>
<context>
    <name>ProofDialog</name>
    <message>
        <location filename="../../pos_app/ui/cashier/proof_dialog.py" line="34"/>
        <source>Bank transfer / proof of payment</source>
        <translation>Uhamisho wa benki / uthibitisho wa malipo</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/proof_dialog.py" line="40"/>
        <source>Bank transfer</source>
        <translation>Uhamisho wa benki</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/proof_dialog.py" line="41"/>
        <source>Mobile money (other)</source>
        <translation>Pesa ya simu (nyingine)</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/proof_dialog.py" line="42"/>
        <source>Paid by</source>
        <translation>Imelipwa kwa</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/proof_dialog.py" line="46"/>
        <source>Transfer reference</source>
        <translation>Namba ya muamala</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/proof_dialog.py" line="48"/>
        <source>no photo</source>
        <translation>hakuna picha</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/proof_dialog.py" line="51"/>
        <source>Choose photo…</source>
        <translation>Chagua picha…</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/proof_dialog.py" line="55"/>
        <location filename="../../pos_app/ui/cashier/proof_dialog.py" line="93"/>
        <source>Photo of the slip</source>
        <translation>Picha ya risiti ya benki</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/proof_dialog.py" line="59"/>
        <source>Notes</source>
        <translation>Maelezo</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/proof_dialog.py" line="67"/>
        <source>Back</source>
        <translation>Rudi</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/proof_dialog.py" line="67"/>
        <source>Record proof</source>
        <translation>Hifadhi uthibitisho</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/proof_dialog.py" line="76"/>
        <source>This shop checks every proof first: the sale waits until a supervisor verifies it.</source>
        <translation>Duka hili hukagua kila uthibitisho kwanza: mauzo yanasubiri hadi msimamizi athibitishe.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/proof_dialog.py" line="80"/>
        <source>The sale completes now as “pending verification”; a supervisor checks the proof later.</source>
        <translation>Mauzo yanakamilika sasa kama “yanasubiri kuthibitishwa”; msimamizi atakagua uthibitisho baadaye.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/proof_dialog.py" line="86"/>
        <source>That photo is larger than 5 MB: take a smaller one.</source>
        <translation>Picha hiyo ni kubwa kuliko MB 5: piga ndogo zaidi.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/proof_dialog.py" line="94"/>
        <source>Images (*.png *.jpg *.jpeg)</source>
        <translation>Picha (*.png *.jpg *.jpeg)</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/proof_dialog.py" line="102"/>
        <source>Type the transfer reference from the slip or SMS.</source>
        <translation>Andika namba ya muamala kutoka kwenye risiti au SMS.</translation>
    </message>
</context>
<context>
    <name>Receipt</name>
    <message>
        <location filename="../../pos_app/ui/receipts/render.py" line="62"/>
        <source>Cash</source>
        <translation>Pesa taslimu</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/receipts/render.py" line="63"/>
        <source>Cash on delivery</source>
        <translation>Lipa unapopokea</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/receipts/render.py" line="64"/>
        <source>M-Pesa</source>
        <translation>M-Pesa</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/receipts/render.py" line="65"/>
        <source>M-Pesa paybill</source>
        <translation>Paybill ya M-Pesa</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/receipts/render.py" line="66"/>
        <source>Paystack</source>
        <translation>Paystack</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/receipts/render.py" line="67"/>
        <source>Flutterwave</source>
        <translation>Flutterwave</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/receipts/render.py" line="68"/>
        <source>Stripe</source>
        <translation>Stripe</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/receipts/render.py" line="69"/>
        <source>Bank transfer</source>
        <translation>Uhamisho wa benki</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/receipts/render.py" line="70"/>
        <source>Mobile money</source>
        <translation>Pesa ya simu</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/receipts/render.py" line="77"/>
        <location filename="../../pos_app/ui/receipts/render.py" line="78"/>
        <source>Paid</source>
        <translation>Imelipwa</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/receipts/render.py" line="79"/>
        <source>Pending verification</source>
        <translation>Inasubiri kuthibitishwa</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/receipts/render.py" line="80"/>
        <source>Awaiting cash on delivery</source>
        <translation>Inasubiri malipo wakati wa kufikisha</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/receipts/render.py" line="81"/>
        <location filename="../../pos_app/ui/receipts/render.py" line="82"/>
        <source>Waiting for customer</source>
        <translation>Inamsubiri mteja</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/receipts/render.py" line="83"/>
        <source>Pending</source>
        <translation>Inasubiri</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/receipts/render.py" line="84"/>
        <source>Failed</source>
        <translation>Imeshindikana</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/receipts/render.py" line="85"/>
        <source>Cancelled</source>
        <translation>Imeghairiwa</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/receipts/render.py" line="86"/>
        <source>Expired</source>
        <translation>Muda umeisha</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/receipts/render.py" line="87"/>
        <source>Being checked</source>
        <translation>Inakaguliwa</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/receipts/render.py" line="88"/>
        <source>Rejected</source>
        <translation>Imekataliwa</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/receipts/render.py" line="89"/>
        <source>Refunded</source>
        <translation>Imerejeshwa</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/receipts/render.py" line="90"/>
        <source>Partly refunded</source>
        <translation>Imerejeshwa sehemu</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/receipts/render.py" line="91"/>
        <source>Voided</source>
        <translation>Imebatilishwa</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/receipts/render.py" line="109"/>
        <source>Discount</source>
        <translation>Punguzo</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/receipts/render.py" line="110"/>
        <source>VAT band</source>
        <translation>Kundi la VAT</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/receipts/render.py" line="111"/>
        <source>Taxable</source>
        <translation>Kinachotozwa kodi</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/receipts/render.py" line="112"/>
        <source>VAT</source>
        <translation>VAT</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/receipts/render.py" line="120"/>
        <source>REPRINT</source>
        <translation>NAKALA</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/receipts/render.py" line="126"/>
        <source>SCU INFORMATION</source>
        <translation>TAARIFA ZA SCU</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/receipts/render.py" line="127"/>
        <source>Signed</source>
        <translation>Imesainiwa</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/receipts/render.py" line="128"/>
        <source>SCU ID</source>
        <translation>Kitambulisho cha SCU</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/receipts/render.py" line="129"/>
        <source>CU invoice no.</source>
        <translation>Nambari ya ankara ya CU</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/receipts/render.py" line="130"/>
        <source>Receipt no.</source>
        <translation>Nambari ya risiti</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/receipts/render.py" line="131"/>
        <source>Internal data:</source>
        <translation>Data ya ndani:</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/receipts/render.py" line="132"/>
        <source>Receipt signature:</source>
        <translation>Sahihi ya risiti:</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/receipts/render.py" line="133"/>
        <source>NOT A TAX INVOICE</source>
        <translation>SI ANKARA YA KODI</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/receipts/render.py" line="134"/>
        <source>Waiting for the eTIMS signature. Ask for the signed copy later.</source>
        <translation>Inasubiri sahihi ya eTIMS. Omba nakala iliyosainiwa baadaye.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/receipts/render.py" line="137"/>
        <source>eTIMS refused this invoice (%1).</source>
        <translation>eTIMS imekataa ankara hii (%1).</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/receipts/render.py" line="104"/>
        <source>Receipt</source>
        <translation>Risiti</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/receipts/render.py" line="105"/>
        <source>Date</source>
        <translation>Tarehe</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/receipts/render.py" line="106"/>
        <source>Cashier</source>
        <translation>Keshia</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/receipts/render.py" line="107"/>
        <source>TOTAL</source>
        <translation>JUMLA</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/receipts/render.py" line="108"/>
        <source>incl. VAT %1</source>
        <translation>pamoja na VAT %1</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/receipts/render.py" line="113"/>
        <source>Tendered</source>
        <translation>Iliyotolewa</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/receipts/render.py" line="114"/>
        <source>Change</source>
        <translation>Chenji</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/receipts/render.py" line="115"/>
        <source>Ref.</source>
        <translation>Kumb.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/receipts/render.py" line="116"/>
        <source>Collected by</source>
        <translation>Imeletwa na</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/receipts/render.py" line="117"/>
        <source>Status</source>
        <translation>Hali</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/receipts/render.py" line="118"/>
        <source>TEST MODE</source>
        <translation>HALI YA MAJARIBIO</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/receipts/render.py" line="119"/>
        <source>No real money moved.</source>
        <translation>Hakuna pesa halisi iliyohamishwa.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/receipts/render.py" line="121"/>
        <source>Thank you for shopping with us!</source>
        <translation>Asante kwa kununua kwetu!</translation>
    </message>
</context>
<context>
    <name>ReceiptDialog</name>
    <message>
        <location filename="../../pos_app/ui/cashier/receipt_dialog.py" line="49"/>
        <source>Receipt</source>
        <translation>Risiti</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/receipt_dialog.py" line="58"/>
        <source>Paper</source>
        <translation>Karatasi</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/receipt_dialog.py" line="66"/>
        <source>Print</source>
        <translation>Chapisha</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/receipt_dialog.py" line="71"/>
        <source>Save PDF</source>
        <translation>Hifadhi PDF</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/receipt_dialog.py" line="75"/>
        <source>Close</source>
        <translation>Funga</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/receipt_dialog.py" line="128"/>
        <source>Save receipt</source>
        <translation>Hifadhi risiti</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/receipt_dialog.py" line="134"/>
        <source>Saved %1</source>
        <translation>Imehifadhiwa %1</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/receipt_dialog.py" line="152"/>
        <location filename="../../pos_app/ui/cashier/receipt_dialog.py" line="165"/>
        <source>Sent to the printer.</source>
        <translation>Imetumwa kwa printa.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/receipt_dialog.py" line="161"/>
        <source>Waiting for printer: %1</source>
        <translation>Inasubiri printa: %1</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/receipt_dialog.py" line="163"/>
        <source>Printing…</source>
        <translation>Inachapisha…</translation>
    </message>
</context>
<context>
    <name>Restore</name>
    <message>
        <location filename="../../pos_app/ui/widgets/damage_screen.py" line="43"/>
        <source>Another till record</source>
        <translation>Rekodi nyingine ya mashine</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/widgets/damage_screen.py" line="46"/>
        <source>%1, %2</source>
        <translation>%1, %2</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/widgets/damage_screen.py" line="48"/>
        <source>No. %1: %2</source>
        <translation>Na. %1: %2</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/widgets/damage_screen.py" line="53"/>
        <source>the relay&apos;s copy does not hold enough to rebuild it</source>
        <translation>nakala ya relay haina maelezo ya kutosha kuijenga upya</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/widgets/damage_screen.py" line="56"/>
        <source>it is in another currency than the shop&apos;s</source>
        <translation>iko katika sarafu tofauti na ya duka</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/widgets/damage_screen.py" line="59"/>
        <source>its amounts do not add up without its discount&apos;s approval</source>
        <translation>kiasi chake hakilingani bila idhini ya punguzo lake</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/widgets/damage_screen.py" line="62"/>
        <source>the sale it belongs to was not recovered</source>
        <translation>mauzo inayohusika nayo hayakurejeshwa</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/widgets/damage_screen.py" line="65"/>
        <source>the product it changes was not recovered</source>
        <translation>bidhaa inayobadilishwa haikurejeshwa</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/widgets/damage_screen.py" line="68"/>
        <source>the ledger refused it</source>
        <translation>daftari liliikataa</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/widgets/damage_screen.py" line="74"/>
        <source>The data key is not in the keyring, so no backup can be read. Restore the keyring entry, or set DUKA_DATA_KEY to the saved key.</source>
        <translation>Ufunguo wa data haupo kwenye keyring, kwa hiyo hakuna nakala inayoweza kusomwa. Rejesha ingizo la keyring, au weka DUKA_DATA_KEY kuwa ufunguo uliohifadhiwa.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/widgets/damage_screen.py" line="79"/>
        <source>No backup was found in the data folder or the backup copy folder.</source>
        <translation>Hakuna nakala iliyopatikana kwenye folda ya data wala folda ya nakala ya ziada.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/widgets/damage_screen.py" line="82"/>
        <source>The backup cannot be read or holds a damaged ledger.</source>
        <translation>Nakala haisomeki au ina daftari lililoharibika.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/widgets/damage_screen.py" line="85"/>
        <source>The relay could not be asked for this till&apos;s sales. Restore again when the till is online.</source>
        <translation>Relay haikuweza kuulizwa mauzo ya mashine hii. Rejesha tena mashine ikiwa mtandaoni.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/widgets/damage_screen.py" line="98"/>
        <source>Restored the ledger from the backup %1.</source>
        <translation>Daftari limerejeshwa kutoka nakala %1.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/widgets/damage_screen.py" line="104"/>
        <source>The files it replaced are kept in %1.</source>
        <translation>Faili ilizobadilisha zimehifadhiwa katika %1.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/widgets/damage_screen.py" line="113"/>
        <source>This till is not paired with a relay: the backup is all there is.</source>
        <translation>Mashine hii haijaunganishwa na relay: nakala ndiyo yote iliyopo.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/widgets/damage_screen.py" line="119"/>
        <source>Recovered from the relay: %1 record(s).</source>
        <translation>Zilizorejeshwa kutoka relay: rekodi %1.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/widgets/damage_screen.py" line="126"/>
        <source>Not recovered (the relay still holds them; enter them again by hand):</source>
        <translation>Hazikurejeshwa (relay bado inazo; ziingize tena kwa mkono):</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/widgets/damage_screen.py" line="132"/>
        <source>%1 — %2</source>
        <translation>%1 — %2</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/widgets/damage_screen.py" line="253"/>
        <source>Restore the till from its backup and the relay</source>
        <translation>Rejesha mashine kutoka nakala yake na relay</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/widgets/damage_screen.py" line="260"/>
        <source>Restore from backup / relay</source>
        <translation>Rejesha kutoka nakala / relay</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/widgets/damage_screen.py" line="261"/>
        <source>The till stops selling now and its ledger is replaced by the last backup plus the relay&apos;s copy of this till&apos;s records. Sales not yet sent to the relay may be lost. Afterwards Duka POS must be started again. Restore now?</source>
        <translation>Mashine inaacha kuuza sasa na daftari lake linabadilishwa na nakala ya mwisho pamoja na nakala ya relay ya rekodi za mashine hii. Mauzo ambayo bado hayajatumwa kwa relay yanaweza kupotea. Baadaye Duka POS lazima ifunguliwe tena. Rejesha sasa?</translation>
    </message>
</context>
<context>
    <name>SalePage</name>
    <message>
        <location filename="../../pos_app/ui/cashier/sale_page.py" line="104"/>
        <source>Scan a barcode or type a product name…</source>
        <translation>Changanua barcode au andika jina la bidhaa…</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/sale_page.py" line="417"/>
        <source>Quick keys</source>
        <translation>Vitufe vya haraka</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/sale_page.py" line="172"/>
        <source>Resume payment</source>
        <translation>Endelea na malipo</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/sale_page.py" line="213"/>
        <source>Qty…</source>
        <translation>Idadi…</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/sale_page.py" line="215"/>
        <source>+1</source>
        <translation>+1</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/sale_page.py" line="216"/>
        <source>−1</source>
        <translation>−1</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/sale_page.py" line="217"/>
        <source>Remove line</source>
        <translation>Ondoa mstari</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/sale_page.py" line="218"/>
        <source>Custom amount</source>
        <translation>Kiasi maalum</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/sale_page.py" line="219"/>
        <source>Price / discount</source>
        <translation>Bei / punguzo</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/sale_page.py" line="233"/>
        <source>Quantity</source>
        <translation>Idadi</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/sale_page.py" line="240"/>
        <source>Set quantity</source>
        <translation>Weka idadi</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/sale_page.py" line="274"/>
        <source>Cash (F2)</source>
        <translation>Pesa taslimu (F2)</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/sale_page.py" line="275"/>
        <source>Cash on delivery</source>
        <translation>Lipa unapopokea</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/sale_page.py" line="276"/>
        <source>M-Pesa (F3)</source>
        <translation>M-Pesa (F3)</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/sale_page.py" line="277"/>
        <source>Bank / proof</source>
        <translation>Benki / uthibitisho</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/sale_page.py" line="287"/>
        <source>Back</source>
        <translation>Rudi</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/sale_page.py" line="292"/>
        <source>New sale</source>
        <translation>Mauzo mapya</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/sale_page.py" line="310"/>
        <source>Print receipt</source>
        <translation>Chapisha risiti</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/sale_page.py" line="312"/>
        <source>SMS</source>
        <translation>SMS</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/sale_page.py" line="314"/>
        <source>No receipt</source>
        <translation>Bila risiti</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/sale_page.py" line="325"/>
        <source>Customer&apos;s phone, 07XX XXX XXX</source>
        <translation>Simu ya mteja, 07XX XXX XXX</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/sale_page.py" line="328"/>
        <source>Send SMS</source>
        <translation>Tuma SMS</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/sale_page.py" line="378"/>
        <source>Waiting sales (%1)</source>
        <translation>Mauzo yanayosubiri (%1)</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/sale_page.py" line="384"/>
        <source>waiting for a supervisor to approve the proof</source>
        <translation>yanasubiri msimamizi aidhinishe uthibitisho</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/sale_page.py" line="386"/>
        <source>waiting for the customer&apos;s payment</source>
        <translation>yanasubiri malipo ya mteja</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/sale_page.py" line="392"/>
        <source>No sale is waiting.</source>
        <translation>Hakuna mauzo yanayosubiri.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/sale_page.py" line="454"/>
        <source>Page %1 of %2</source>
        <translation>Ukurasa %1 kati ya %2</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/sale_page.py" line="484"/>
        <source>A payment was left unfinished: %1 for sale %2. Resume it to see how it ended.</source>
        <translation>Malipo hayakukamilika: %1 kwa mauzo %2. Endelea nayo uone yalivyoishia.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/sale_page.py" line="539"/>
        <source>Unknown barcode or product: %1. Nothing was added.</source>
        <translation>Barcode au bidhaa haijulikani: %1. Hakuna kilichoongezwa.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/sale_page.py" line="563"/>
        <source>Add %1 after payment started</source>
        <translation>Ongeza %1 baada ya malipo kuanza</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/sale_page.py" line="575"/>
        <source>Added %1 (%2): type the weighed quantity with Qty… if it differs.</source>
        <translation>Imeongezwa: %1 (%2). Kama kiasi kilichopimwa ni tofauti, kiandike kwa Idadi…</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/sale_page.py" line="578"/>
        <source>Added %1.</source>
        <translation>Imeongezwa: %1.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/sale_page.py" line="596"/>
        <source>Part of this sale is already paid: finish it, or ask a supervisor to refund it.</source>
        <translation>Sehemu ya mauzo haya imeshalipwa: yamalize, au mwombe msimamizi arejeshe pesa.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/sale_page.py" line="617"/>
        <source>+1 and −1 count pieces: for %1, type the quantity with Qty…</source>
        <translation>+1 na −1 huhesabu vipande: kwa %1, andika kiasi kwa Idadi…</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/sale_page.py" line="625"/>
        <location filename="../../pos_app/ui/cashier/sale_page.py" line="654"/>
        <source>Change a quantity after payment started</source>
        <translation>Badilisha idadi baada ya malipo kuanza</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/sale_page.py" line="641"/>
        <source>Choose a line, type how many, then Set quantity.</source>
        <translation>Chagua mstari, andika idadi, kisha Weka idadi.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/sale_page.py" line="648"/>
        <source>%1 is sold by the piece: type a whole number above zero, e.g. 3.</source>
        <translation>%1 huuzwa kwa kipande: andika namba kamili zaidi ya sifuri, mfano 3.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/sale_page.py" line="650"/>
        <source>%1 is sold by %2: type a quantity above zero with at most three decimals, e.g. 0.75 or 0,75.</source>
        <translation>%1 huuzwa kwa %2: andika kiasi zaidi ya sifuri chenye desimali zisizozidi tatu, mfano 0.75 au 0,75.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/sale_page.py" line="664"/>
        <source>Remove a line after payment started</source>
        <translation>Ondoa mstari baada ya malipo kuanza</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/sale_page.py" line="669"/>
        <source>Add a line after payment started</source>
        <translation>Ongeza mstari baada ya malipo kuanza</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/sale_page.py" line="679"/>
        <source>Choose a line first.</source>
        <translation>Chagua mstari kwanza.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/sale_page.py" line="683"/>
        <source>New price</source>
        <translation>Bei mpya</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/sale_page.py" line="684"/>
        <source>New unit price for %1 (now %2):</source>
        <translation>Bei mpya ya kipande kwa %1 (sasa %2):</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/sale_page.py" line="694"/>
        <source>Price of %1: %2 → %3</source>
        <translation>Bei ya %1: %2 → %3</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/sale_page.py" line="699"/>
        <source>Change a price after payment started</source>
        <translation>Badilisha bei baada ya malipo kuanza</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/sale_page.py" line="706"/>
        <source>Part of this sale is already paid: take the rest first.</source>
        <translation>Sehemu ya mauzo haya imeshalipwa: pokea kiasi kilichobaki kwanza.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/sale_page.py" line="715"/>
        <source>Sale parked: it completes when its payment is confirmed. It is in the list of waiting sales.</source>
        <translation>Mauzo yamewekwa kando: yatakamilika malipo yake yakithibitishwa. Yapo kwenye orodha ya mauzo yanayosubiri.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/sale_page.py" line="857"/>
        <source>Waiting for the customer&apos;s payment (M-Pesa prompt or payment link). New sale parks the sale meanwhile.</source>
        <translation>Inasubiri malipo ya mteja (ombi la M-Pesa au kiungo cha malipo). Mauzo mapya yanayaweka mauzo haya kando kwa sasa.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/sale_page.py" line="905"/>
        <source>That is not a mobile number a text can reach. Type it as 07XX XXX XXX or +254 7XX XXX XXX.</source>
        <translation>Hiyo si namba ya simu inayoweza kupokea ujumbe. Iandike kama 07XX XXX XXX au +254 7XX XXX XXX.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/sale_page.py" line="911"/>
        <source>Receipt</source>
        <translation>Risiti</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/sale_page.py" line="912"/>
        <source>Total</source>
        <translation>Jumla</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/sale_page.py" line="913"/>
        <source>eTIMS invoice</source>
        <translation>Ankara ya eTIMS</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/sale_page.py" line="926"/>
        <source>The receipt will be sent by SMS (when the till is online).</source>
        <translation>Risiti itatumwa kwa SMS (kompyuta ya mauzo ikiwa mtandaoni).</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/sale_page.py" line="936"/>
        <source>Receipt sent by SMS.</source>
        <translation>Risiti imetumwa kwa SMS.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/sale_page.py" line="938"/>
        <source>The SMS may not have arrived (%1). Ask the customer; print the receipt from Sales if not.</source>
        <translation>Huenda SMS haijafika (%1). Muulize mteja; kama haijafika, chapisha risiti kutoka Mauzo.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/sale_page.py" line="942"/>
        <source>The SMS receipt was not sent: %1. Print it from Sales.</source>
        <translation>Risiti ya SMS haikutumwa: %1. Ichapishe kutoka Mauzo.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/sale_page.py" line="990"/>
        <source>M-Pesa prompts and payment links need the relay: this till is not paired with one. Cash, COD and proofs still work.</source>
        <translation>Maombi ya M-Pesa na viungo vya malipo vinahitaji relay: mashine hii haijaunganishwa nayo. Pesa taslimu, COD na uthibitisho bado vinafanya kazi.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/sale_page.py" line="992"/>
        <source>Offline (%1): M-Pesa prompts and payment links are unavailable. Cash, COD and proofs still work.</source>
        <translation>Nje ya mtandao (%1): maombi ya M-Pesa na viungo vya malipo havipatikani. Pesa taslimu, COD na uthibitisho bado vinafanya kazi.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/sale_page.py" line="1048"/>
        <source>Charge %1</source>
        <translation>Lipisha %1</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/sale_page.py" line="720"/>
        <source>Clear a sale after payment started</source>
        <translation>Futa mauzo baada ya malipo kuanza</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/sale_page.py" line="749"/>
        <location filename="../../pos_app/ui/cashier/sale_page.py" line="763"/>
        <source>The cart is empty: scan or choose a product first.</source>
        <translation>Kikapu ni tupu: changanua au chagua bidhaa kwanza.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/sale_page.py" line="834"/>
        <source>Paid so far %1; still due %2: choose another tender.</source>
        <translation>Imelipwa hadi sasa %1; bado kinadaiwa %2: chagua njia nyingine ya malipo.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/sale_page.py" line="843"/>
        <source>Sale complete. Its proof of payment still waits for a supervisor to approve it (see the waiting sales).</source>
        <translation>Mauzo yamekamilika. Uthibitisho wake wa malipo bado unasubiri msimamizi auidhinishe (angalia mauzo yanayosubiri).</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/sale_page.py" line="846"/>
        <source>Sale complete.</source>
        <translation>Mauzo yamekamilika.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/sale_page.py" line="854"/>
        <source>Waiting for a supervisor to approve the proof of payment. The sale completes once approved; New sale parks it meanwhile.</source>
        <translation>Inasubiri msimamizi aidhinishe uthibitisho wa malipo. Mauzo yatakamilika yakiidhinishwa; Mauzo mapya yanayaweka kando kwa sasa.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/sale_page.py" line="868"/>
        <source>Receipt for sale %1?</source>
        <translation>Risiti ya mauzo %1?</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/sale_page.py" line="1037"/>
        <source>Due %1</source>
        <translation>Inadaiwa %1</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/sale_page.py" line="1039"/>
        <source>Total %1 · paid %2</source>
        <translation>Jumla %1 · imelipwa %2</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/sale_page.py" line="1042"/>
        <source>waiting %1</source>
        <translation>inasubiri %1</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/sale_page.py" line="1046"/>
        <source>Total %1</source>
        <translation>Jumla %1</translation>
    </message>
    <message numerus="yes">
        <location filename="../../pos_app/ui/cashier/sale_page.py" line="1030"/>
        <source>%n item(s), incl. VAT %1</source>
        <translation>
            <numerusform>bidhaa %n, pamoja na VAT %1</numerusform>
            <numerusform>bidhaa %n, pamoja na VAT %1</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/sale_page.py" line="1064"/>
        <source>Something went wrong: %1</source>
        <translation>Kuna tatizo: %1</translation>
    </message>
</context>
<context>
    <name>SalesPage</name>
    <message>
        <location filename="../../pos_app/ui/cashier/sales_page.py" line="24"/>
        <source>Recent sales</source>
        <translation>Mauzo ya karibuni</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/sales_page.py" line="26"/>
        <source>Time</source>
        <translation>Saa</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/sales_page.py" line="26"/>
        <source>Sale</source>
        <translation>Mauzo</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/sales_page.py" line="26"/>
        <source>Status</source>
        <translation>Hali</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/sales_page.py" line="26"/>
        <source>Total</source>
        <translation>Jumla</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/sales_page.py" line="31"/>
        <source>Refresh</source>
        <translation>Onyesha upya</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/sales_page.py" line="34"/>
        <source>Reprint receipt</source>
        <translation>Chapisha risiti tena</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/sales_page.py" line="55"/>
        <source>open</source>
        <translation>wazi</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/sales_page.py" line="55"/>
        <source>paid</source>
        <translation>imelipwa</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/sales_page.py" line="56"/>
        <source>cancelled</source>
        <translation>imeghairiwa</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/sales_page.py" line="56"/>
        <source>refunded</source>
        <translation>imerejeshwa</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/sales_page.py" line="71"/>
        <source>Choose a sale first.</source>
        <translation>Chagua mauzo kwanza.</translation>
    </message>
</context>
<context>
    <name>SetupDialog</name>
    <message>
        <location filename="../../pos_app/ui/login/setup_dialog.py" line="70"/>
        <source>The PIN must be 4 to 8 digits.</source>
        <translation>PIN lazima iwe tarakimu 4 hadi 8.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/login/setup_dialog.py" line="72"/>
        <source>That PIN is too easy to guess: avoid 1111 or 1234.</source>
        <translation>PIN hiyo ni rahisi kukisia: epuka 1111 au 1234.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/login/setup_dialog.py" line="76"/>
        <source>The two PINs are not the same.</source>
        <translation>PIN mbili hazifanani.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/login/setup_dialog.py" line="91"/>
        <source>Set up this till</source>
        <translation>Andaa mashine hii</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/login/setup_dialog.py" line="98"/>
        <source>Welcome! Set up your shop</source>
        <translation>Karibu! Andaa duka lako</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/login/setup_dialog.py" line="103"/>
        <source>This takes a minute. You can change everything later in the supervisor&apos;s settings.</source>
        <translation>Hii inachukua dakika moja. Unaweza kubadilisha kila kitu baadaye kwenye mipangilio ya msimamizi.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/login/setup_dialog.py" line="113"/>
        <source>Shop name</source>
        <translation>Jina la duka</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/login/setup_dialog.py" line="118"/>
        <source>Country (tax classes)</source>
        <translation>Nchi (madaraja ya kodi)</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/login/setup_dialog.py" line="123"/>
        <source>Currency</source>
        <translation>Sarafu</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/login/setup_dialog.py" line="129"/>
        <source>VAT rate (prices include VAT)</source>
        <translation>Kiwango cha VAT (bei zinajumuisha VAT)</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/login/setup_dialog.py" line="133"/>
        <source>Time zone</source>
        <translation>Saa za eneo</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/login/setup_dialog.py" line="138"/>
        <source>Language</source>
        <translation>Lugha</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/login/setup_dialog.py" line="143"/>
        <source>Receipt prefix (TILL1-000123)</source>
        <translation>Kiambishi cha risiti (TILL1-000123)</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/login/setup_dialog.py" line="147"/>
        <source>Supervisor&apos;s name</source>
        <translation>Jina la msimamizi</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/login/setup_dialog.py" line="152"/>
        <source>Supervisor&apos;s PIN (4–8 digits)</source>
        <translation>PIN ya msimamizi (tarakimu 4–8)</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/login/setup_dialog.py" line="157"/>
        <source>PIN again</source>
        <translation>PIN tena</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/login/setup_dialog.py" line="160"/>
        <source>optional, e.g. https://relay.example.com</source>
        <translation>si lazima, mf. https://relay.example.com</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/login/setup_dialog.py" line="161"/>
        <source>Relay address</source>
        <translation>Anwani ya relay</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/login/setup_dialog.py" line="164"/>
        <source>optional</source>
        <translation>si lazima</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/login/setup_dialog.py" line="165"/>
        <source>Pairing code</source>
        <translation>Msimbo wa kuunganisha</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/login/setup_dialog.py" line="167"/>
        <source>Start with the demo catalogue (20 everyday items)</source>
        <translation>Anza na orodha ya mfano (bidhaa 20 za kila siku)</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/login/setup_dialog.py" line="183"/>
        <source>Start selling</source>
        <translation>Anza kuuza</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/login/setup_dialog.py" line="197"/>
        <source>Type the shop&apos;s name.</source>
        <translation>Andika jina la duka.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/login/setup_dialog.py" line="199"/>
        <source>Type the supervisor&apos;s name.</source>
        <translation>Andika jina la msimamizi.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/login/setup_dialog.py" line="205"/>
        <source>The receipt prefix is 1-12 letters or digits, e.g. TILL1.</source>
        <translation>Kiambishi cha risiti ni herufi au tarakimu 1-12, mf. TILL1.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/login/setup_dialog.py" line="209"/>
        <source>To pair with a relay, fill in both its address and the pairing code.</source>
        <translation>Ili kuunganisha na relay, jaza anwani yake na msimbo wa kuunganisha.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/login/setup_dialog.py" line="232"/>
        <source>Saving…</source>
        <translation>Inahifadhi…</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/login/setup_dialog.py" line="249"/>
        <source>Could not save the set-up: %1</source>
        <translation>Mipangilio haikuweza kuhifadhiwa: %1</translation>
    </message>
</context>
<context>
    <name>ShiftPage</name>
    <message>
        <location filename="../../pos_app/ui/cashier/shift_page.py" line="58"/>
        <source>Open a shift</source>
        <translation>Fungua zamu</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/shift_page.py" line="62"/>
        <source>Cash float in the drawer</source>
        <translation>Pesa ya kuanzia kwenye droo</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/shift_page.py" line="63"/>
        <source>Open shift</source>
        <translation>Fungua zamu</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/shift_page.py" line="70"/>
        <source>Cash in / cash out</source>
        <translation>Weka pesa / toa pesa</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/shift_page.py" line="74"/>
        <source>Amount</source>
        <translation>Kiasi</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/shift_page.py" line="77"/>
        <source>e.g. change from the bank, paid the supplier</source>
        <translation>mf. chenji kutoka benki, malipo kwa msambazaji</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/shift_page.py" line="78"/>
        <source>Reason</source>
        <translation>Sababu</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/shift_page.py" line="80"/>
        <location filename="../../pos_app/ui/cashier/shift_page.py" line="170"/>
        <source>Cash in</source>
        <translation>Weka pesa</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/shift_page.py" line="83"/>
        <location filename="../../pos_app/ui/cashier/shift_page.py" line="171"/>
        <source>Cash out</source>
        <translation>Toa pesa</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/shift_page.py" line="90"/>
        <source>Open drawer (no sale)</source>
        <translation>Fungua droo (bila mauzo)</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/shift_page.py" line="101"/>
        <source>Close the shift</source>
        <translation>Funga zamu</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/shift_page.py" line="106"/>
        <source>Cash counted in the drawer</source>
        <translation>Pesa taslimu iliyohesabiwa droo</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/shift_page.py" line="109"/>
        <source>e.g. gave too much change</source>
        <translation>k.m. nilitoa chenji zaidi</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/shift_page.py" line="110"/>
        <source>Why is the drawer short?</source>
        <translation>Kwa nini droo imepungua?</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/shift_page.py" line="118"/>
        <source>Close shift…</source>
        <translation>Funga zamu…</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/shift_page.py" line="127"/>
        <source>Yes, close and print Z report</source>
        <translation>Ndiyo, funga na uchapishe ripoti Z</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/shift_page.py" line="132"/>
        <source>Go back</source>
        <translation>Rudi</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/shift_page.py" line="153"/>
        <source>Lock till</source>
        <translation>Funga mashine</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/shift_page.py" line="157"/>
        <source>Sign out</source>
        <translation>Toka</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/shift_page.py" line="170"/>
        <source>Opening float</source>
        <translation>Pesa ya kuanzia</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/shift_page.py" line="171"/>
        <source>Method</source>
        <translation>Njia</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/shift_page.py" line="172"/>
        <source>Expected</source>
        <translation>Inayotarajiwa</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/shift_page.py" line="172"/>
        <source>Counted</source>
        <translation>Iliyohesabiwa</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/shift_page.py" line="173"/>
        <source>Variance</source>
        <translation>Tofauti</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/shift_page.py" line="173"/>
        <source>Total variance</source>
        <translation>Jumla ya tofauti</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/shift_page.py" line="174"/>
        <source>Expected amounts are net of the refunds and voids below.</source>
        <translation>Kiasi kinachotarajiwa tayari kimeondoa marejesho na ubatilishaji ulio hapa chini.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/shift_page.py" line="175"/>
        <source>Refunds and voids</source>
        <translation>Marejesho na ubatilishaji</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/shift_page.py" line="176"/>
        <source>No refunds or voids in this shift.</source>
        <translation>Hakuna marejesho wala ubatilishaji katika zamu hii.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/shift_page.py" line="177"/>
        <source>Refunds</source>
        <translation>Marejesho</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/shift_page.py" line="177"/>
        <source>Refunded</source>
        <translation>Kilichorejeshwa</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/shift_page.py" line="178"/>
        <source>Voids</source>
        <translation>Ubatilishaji</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/shift_page.py" line="178"/>
        <source>Voided</source>
        <translation>Kilichobatilishwa</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/shift_page.py" line="179"/>
        <source>Reason for the shortage</source>
        <translation>Sababu ya upungufu</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/shift_page.py" line="180"/>
        <location filename="../../pos_app/ui/cashier/shift_page.py" line="219"/>
        <source>Test payments (not money)</source>
        <translation>Malipo ya majaribio (si pesa)</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/shift_page.py" line="181"/>
        <source>Made while a provider was in test mode: in no total above.</source>
        <translation>Yalifanywa mtoa huduma akiwa katika hali ya majaribio: hayamo katika jumla yoyote hapo juu.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/shift_page.py" line="182"/>
        <source>Opened %1 by %2</source>
        <translation>Zamu ilifunguliwa %1 na %2</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/shift_page.py" line="182"/>
        <source>Opened %1</source>
        <translation>Zamu ilifunguliwa %1</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/shift_page.py" line="183"/>
        <source>Closed %1 by %2</source>
        <translation>Zamu ilifungwa %1 na %2</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/shift_page.py" line="183"/>
        <source>Closed %1</source>
        <translation>Zamu ilifungwa %1</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/shift_page.py" line="196"/>
        <source>No shift is open: count the float and open one.</source>
        <translation>Hakuna zamu iliyo wazi: hesabu pesa ya kuanzia na ufungue zamu.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/shift_page.py" line="198"/>
        <source>Shift open since %1, float %2</source>
        <translation>Zamu iko wazi tangu %1, pesa ya kuanzia %2</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/shift_page.py" line="212"/>
        <source>Not in the drawer (from the ledger, nothing to count):</source>
        <translation>Hazipo droo (kutoka kwenye leja, hakuna cha kuhesabu):</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/shift_page.py" line="214"/>
        <source>No M-Pesa, Paystack or delivery takings in this shift.</source>
        <translation>Hakuna mapato ya M-Pesa, Paystack au ya kulipa unapopokea katika zamu hii.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/shift_page.py" line="241"/>
        <source>Count the cash in the drawer first (type 0 if it is empty).</source>
        <translation>Hesabu kwanza pesa taslimu iliyo droo (andika 0 ikiwa ni tupu).</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/shift_page.py" line="246"/>
        <source>Close the shift with %1 counted? This cannot be undone.</source>
        <translation>Funga zamu ukiwa umehesabu %1? Hili haliwezi kutenduliwa.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/shift_page.py" line="305"/>
        <source>Drawer opened (no sale): it is on the record.</source>
        <translation>Droo imefunguliwa (bila mauzo): imerekodiwa.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/shift_page.py" line="327"/>
        <source>The drawer is short: say why, then close.</source>
        <translation>Droo imepungua: eleza sababu, kisha funga.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/shift_page.py" line="260"/>
        <source>Type the float (0 if the drawer is empty).</source>
        <translation>Andika pesa ya kuanzia (0 kama droo ni tupu).</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/shift_page.py" line="268"/>
        <source>Shift opened.</source>
        <translation>Zamu imefunguliwa.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/shift_page.py" line="279"/>
        <source>Type an amount above zero.</source>
        <translation>Andika kiasi kikubwa kuliko sifuri.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/shift_page.py" line="282"/>
        <source>Say why the cash goes in or out.</source>
        <translation>Eleza kwa nini pesa inawekwa au kutolewa.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/shift_page.py" line="294"/>
        <source>Cash in: %1</source>
        <translation>Pesa iliyowekwa: %1</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/shift_page.py" line="294"/>
        <source>Cash out: %1</source>
        <translation>Pesa iliyotolewa: %1</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/shift_page.py" line="370"/>
        <source>Z report</source>
        <translation>Ripoti ya Z</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/shift_page.py" line="350"/>
        <source>Shift closed. Variance %1. Z report saved to %2</source>
        <translation>Zamu imefungwa. Tofauti %1. Ripoti ya Z imehifadhiwa %2</translation>
    </message>
</context>
<context>
    <name>SignInDialog</name>
    <message>
        <location filename="../../pos_app/ui/login/sign_in.py" line="38"/>
        <source>Sign in</source>
        <translation>Ingia</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/login/sign_in.py" line="44"/>
        <source>Till locked: sign in to carry on</source>
        <translation>Mashine imefungwa: ingia ili kuendelea</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/login/sign_in.py" line="45"/>
        <source>Who is selling?</source>
        <translation>Nani anauza?</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/login/sign_in.py" line="60"/>
        <source>PIN</source>
        <translation>PIN</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/login/sign_in.py" line="108"/>
        <source>supervisor</source>
        <translation>msimamizi</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/login/sign_in.py" line="108"/>
        <source>cashier</source>
        <translation>keshia</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/login/sign_in.py" line="121"/>
        <source>Choose your name and type your PIN.</source>
        <translation>Chagua jina lako na uandike PIN yako.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/login/sign_in.py" line="145"/>
        <source>Sign-in failed: %1</source>
        <translation>Kuingia kumeshindikana: %1</translation>
    </message>
</context>
<context>
    <name>StkDialog</name>
    <message>
        <location filename="../../pos_app/ui/cashier/stk_dialog.py" line="65"/>
        <source>M-Pesa</source>
        <translation>M-Pesa</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/stk_dialog.py" line="74"/>
        <source>Customer&apos;s M-Pesa phone number</source>
        <translation>Namba ya simu ya M-Pesa ya mteja</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/stk_dialog.py" line="122"/>
        <source>Loading the paybill details…</source>
        <translation>Inapakia maelezo ya paybill…</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/stk_dialog.py" line="135"/>
        <source>M-Pesa receipt code, or paste the SMS:</source>
        <translation>Namba ya risiti ya M-Pesa, au bandika SMS:</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/stk_dialog.py" line="145"/>
        <source>Use paybill / till</source>
        <translation>Tumia paybill / till</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/stk_dialog.py" line="147"/>
        <source>Cancel prompt</source>
        <translation>Ghairi ombi</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/stk_dialog.py" line="148"/>
        <source>Check status</source>
        <translation>Angalia hali</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/stk_dialog.py" line="149"/>
        <source>Try again</source>
        <translation>Jaribu tena</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/stk_dialog.py" line="150"/>
        <location filename="../../pos_app/ui/cashier/stk_dialog.py" line="267"/>
        <source>Close</source>
        <translation>Funga</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/stk_dialog.py" line="151"/>
        <source>Send prompt</source>
        <translation>Tuma ombi</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/stk_dialog.py" line="154"/>
        <source>Record payment</source>
        <translation>Hifadhi malipo</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/stk_dialog.py" line="175"/>
        <source>Offline: the prompt cannot be sent. Use the paybill.</source>
        <translation>Nje ya mtandao: ombi haliwezi kutumwa. Tumia paybill.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/stk_dialog.py" line="201"/>
        <location filename="../../pos_app/ui/cashier/stk_dialog.py" line="374"/>
        <source>Back</source>
        <translation>Rudi</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/stk_dialog.py" line="207"/>
        <source>Type the number, e.g. 0712 345 678.</source>
        <translation>Andika namba, mf. 0712 345 678.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/stk_dialog.py" line="211"/>
        <source>Not a mobile number of this country yet.</source>
        <translation>Bado si namba ya simu ya nchi hii.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/stk_dialog.py" line="215"/>
        <source>✓ Valid number</source>
        <translation>✓ Namba sahihi</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/stk_dialog.py" line="249"/>
        <source>Paid %1. M-Pesa receipt %2.</source>
        <translation>Imelipwa %1. Risiti ya M-Pesa %2.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/stk_dialog.py" line="254"/>
        <source>Paid %1. M-Pesa receipt code to follow.</source>
        <translation>Imelipwa %1. Namba ya risiti ya M-Pesa itafuata.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/stk_dialog.py" line="261"/>
        <source>Checking with Safaricom…</source>
        <translation>Inakagua na Safaricom…</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/stk_dialog.py" line="262"/>
        <source>The answer is late: the till asks Safaricom directly.</source>
        <translation>Jibu limechelewa: mashine inauliza Safaricom moja kwa moja.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/stk_dialog.py" line="298"/>
        <source>%1 s since the prompt went to %2</source>
        <translation>Sekunde %1 tangu ombi litumwe kwa %2</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/stk_dialog.py" line="318"/>
        <source>Choose another tender</source>
        <translation>Chagua njia nyingine ya kulipa</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/stk_dialog.py" line="341"/>
        <source>Asking the provider…</source>
        <translation>Inamuuliza mtoa huduma…</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/stk_dialog.py" line="368"/>
        <source>Cancel the prompt first, so the customer cannot pay twice.</source>
        <translation>Ghairi ombi kwanza, ili mteja asilipe mara mbili.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/stk_dialog.py" line="385"/>
        <source>Paybill number: &lt;b&gt;%1&lt;/b&gt;</source>
        <translation>Namba ya paybill: &lt;b&gt;%1&lt;/b&gt;</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/stk_dialog.py" line="387"/>
        <source>Account number: &lt;b&gt;%1&lt;/b&gt;</source>
        <translation>Namba ya akaunti: &lt;b&gt;%1&lt;/b&gt;</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/stk_dialog.py" line="390"/>
        <source>or Buy Goods till: &lt;b&gt;%1&lt;/b&gt;</source>
        <translation>au till ya Lipa kwa M-Pesa: &lt;b&gt;%1&lt;/b&gt;</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/stk_dialog.py" line="392"/>
        <source>No paybill or till number is set: ask the supervisor.</source>
        <translation>Hakuna namba ya paybill au till iliyowekwa: muulize msimamizi.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/stk_dialog.py" line="393"/>
        <source>Amount: &lt;b&gt;%1&lt;/b&gt;</source>
        <translation>Kiasi: &lt;b&gt;%1&lt;/b&gt;</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/stk_dialog.py" line="423"/>
        <source>M-Pesa reports %1 paid to this account: confirming with Safaricom before it counts. Do not hand over the goods yet.</source>
        <translation>M-Pesa inaripoti %1 imelipwa kwa akaunti hii: tunathibitisha na Safaricom kabla haijahesabiwa. Usitoe bidhaa bado.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/stk_dialog.py" line="426"/>
        <source>%1 confirmed by M-Pesa.</source>
        <translation>%1 imethibitishwa na M-Pesa.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/stk_dialog.py" line="428"/>
        <source>A payment of %1 reported for this account was refused: M-Pesa has no such payment.</source>
        <translation>Malipo ya %1 yaliyoripotiwa kwa akaunti hii yamekataliwa: M-Pesa haina malipo hayo.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/stk_dialog.py" line="433"/>
        <source> (test money)</source>
        <translation> (pesa za majaribio)</translation>
    </message>
</context>
<context>
    <name>StkOutcome</name>
    <message>
        <location filename="../../pos_app/ui/cashier/stk_outcomes.py" line="46"/>
        <source>The customer does not have enough money in M-Pesa.</source>
        <translation>Mteja hana pesa za kutosha kwenye M-Pesa.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/stk_outcomes.py" line="49"/>
        <source>Take another tender, or let the customer top up and send the prompt again.</source>
        <translation>Pokea njia nyingine ya kulipa, au mteja aongeze salio kisha tuma ombi tena.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/stk_outcomes.py" line="55"/>
        <source>M-Pesa refused a repeat of the same amount to this phone within 2 minutes.</source>
        <translation>M-Pesa imekataa kurudia kiasi kilekile kwa simu hii ndani ya dakika 2.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/stk_outcomes.py" line="59"/>
        <source>Wait, and check whether the earlier payment went through before asking again.</source>
        <translation>Subiri, kisha hakikisha kama malipo ya awali yamefanikiwa kabla ya kuomba tena.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/stk_outcomes.py" line="65"/>
        <source>The customer&apos;s phone is busy with another M-Pesa transaction.</source>
        <translation>Simu ya mteja inashughulikia muamala mwingine wa M-Pesa.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/stk_outcomes.py" line="68"/>
        <source>Wait a minute, then send the prompt again.</source>
        <translation>Subiri dakika moja, kisha tuma ombi tena.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/stk_outcomes.py" line="71"/>
        <source>The prompt expired before the customer answered.</source>
        <translation>Muda wa ombi uliisha kabla mteja hajajibu.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/stk_outcomes.py" line="74"/>
        <source>Send the prompt again when the customer is ready.</source>
        <translation>Tuma ombi tena mteja akiwa tayari.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/stk_outcomes.py" line="79"/>
        <source>M-Pesa could not send the prompt to the phone.</source>
        <translation>M-Pesa haikuweza kutuma ombi kwa simu.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/stk_outcomes.py" line="80"/>
        <source>Try again, or let the customer pay from the SIM menu with the paybill or till.</source>
        <translation>Jaribu tena, au mteja alipe kupitia menyu ya SIM kwa paybill au till.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/stk_outcomes.py" line="86"/>
        <source>The customer cancelled the prompt on the phone.</source>
        <translation>Mteja ameghairi ombi kwenye simu.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/stk_outcomes.py" line="87"/>
        <source>Ask the customer, then send the prompt again, or choose another tender.</source>
        <translation>Muulize mteja, kisha tuma ombi tena, au chagua njia nyingine ya kulipa.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/stk_outcomes.py" line="92"/>
        <source>The customer&apos;s phone did not answer: it may be off, locked or without network.</source>
        <translation>Simu ya mteja haikujibu: huenda imezimwa, imefungwa au haina mtandao.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/stk_outcomes.py" line="96"/>
        <source>Ask the customer to check that the phone is on, then try again, or pay from the SIM menu with the paybill or till.</source>
        <translation>Mwombe mteja ahakikishe simu imewashwa, kisha jaribu tena, au alipe kupitia menyu ya SIM kwa paybill au till.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/stk_outcomes.py" line="103"/>
        <source>The customer entered a wrong M-Pesa PIN.</source>
        <translation>Mteja ameweka PIN ya M-Pesa isiyo sahihi.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/stk_outcomes.py" line="104"/>
        <source>Send the prompt again and ask the customer to enter the PIN carefully.</source>
        <translation>Tuma ombi tena na umwombe mteja aweke PIN kwa uangalifu.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/stk_outcomes.py" line="109"/>
        <source>M-Pesa says the shop&apos;s M-Pesa number does not accept this payment.</source>
        <translation>M-Pesa inasema namba ya M-Pesa ya duka haipokei malipo haya.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/stk_outcomes.py" line="112"/>
        <source>Take another tender, and tell the owner to check the M-Pesa settings.</source>
        <translation>Pokea njia nyingine ya kulipa, na umwambie mwenye duka akague mipangilio ya M-Pesa.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/stk_outcomes.py" line="128"/>
        <source>M-Pesa declined the payment (code %1).</source>
        <translation>M-Pesa imekataa malipo (msimbo %1).</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/stk_outcomes.py" line="131"/>
        <source>Check the customer&apos;s M-Pesa messages before giving goods or asking again.</source>
        <translation>Kagua ujumbe wa M-Pesa wa mteja kabla ya kutoa bidhaa au kuomba tena.</translation>
    </message>
</context>
<context>
    <name>TenderDialog</name>
    <message>
        <location filename="../../pos_app/ui/cashier/tender_base.py" line="42"/>
        <source>Due: %1</source>
        <translation>Kinachodaiwa: %1</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cashier/tender_base.py" line="88"/>
        <source>Could not record the payment: %1</source>
        <translation>Malipo hayakuweza kuhifadhiwa: %1</translation>
    </message>
</context>
<context>
    <name>TestMode</name>
    <message>
        <location filename="../../pos_app/app.py" line="175"/>
        <source>M-Pesa sandbox: shortcode %1. Safaricom&apos;s test number %2 is never prompted (result 1037, unreachable); in the local sandbox any other Kenyan number pays.</source>
        <translation>Sandbox ya M-Pesa: shortcode %1. Namba ya majaribio ya Safaricom %2 haipokei ombi kamwe (jibu 1037, haipatikani); kwenye sandbox ya hapa, namba nyingine yoyote ya Kenya hulipa.</translation>
    </message>
    <message>
        <location filename="../../pos_app/app.py" line="184"/>
        <source>Paystack test keys: card %1, any future expiry, CVV %4 (%2 is declined). Test M-Pesa via Paystack: %3.</source>
        <translation>Funguo za majaribio za Paystack: kadi %1, tarehe yoyote ya baadaye ya kuisha, CVV %4 (%2 hukataliwa). M-Pesa ya majaribio kupitia Paystack: %3.</translation>
    </message>
    <message>
        <location filename="../../pos_app/app.py" line="195"/>
        <source>Flutterwave test keys: card %1, expiry %2, CVV %3, PIN %4 (older guides say %5), OTP %6; %7 is declined.</source>
        <translation>Funguo za majaribio za Flutterwave: kadi %1, inaisha %2, CVV %3, PIN %4 (miongozo ya zamani inasema %5), OTP %6; %7 hukataliwa.</translation>
    </message>
    <message>
        <location filename="../../pos_app/app.py" line="209"/>
        <source>Stripe test keys: card %1, any future date, any CVC (%2 is declined).</source>
        <translation>Funguo za majaribio za Stripe: kadi %1, tarehe yoyote ya baadaye, CVC yoyote (%2 hukataliwa).</translation>
    </message>
</context>
</TS>
