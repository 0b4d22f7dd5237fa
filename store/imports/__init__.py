"""Importing exports from billing, CRM, support and survey tools: read, map, validate, upsert.

Entry points: `runner.import_files` (the import itself) and `runner.list_imports`; `kinds.KINDS`
and `presets.PRESETS` say what can be imported and from which tools.
"""
