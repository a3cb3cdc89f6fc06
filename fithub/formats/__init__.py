"""Date and number formats for languages Django leaves in US order (FORMAT_MODULE_PATH).

Django has no formats for Urdu, and none of Bengali's datetime formats: both fell back to
"m/d/Y", so 9 December printed as 12/09/2026. Both write day, month, year, as CLDR does.
"""
