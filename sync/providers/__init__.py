"""Payment provider clients, one module per provider.

Importing the package loads none of them: the till reads only the pure modules (phones,
mpesa_codes, mpesa_sms, testmode) and must not pay for the providers' HTTP stacks (the stripe
library alone takes a quarter of a second to import). The relay imports
sync.providers.builtin, which registers every built-in provider.
"""
