"""jobindsats.dk (STAR): its answers (v2 JSON and CSV, v3 JSON), the API client and the import.

``answers`` parses the three shapes, ``client`` fetches them, ``importer`` turns either into one
validated snapshot through the table mapping in ``maaltal/data/jobindsats.yaml``.
"""
