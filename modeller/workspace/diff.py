"""What changed between two saved versions, in plain words with units, and the KPI differences beside it."""
