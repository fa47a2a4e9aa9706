"""Where course authors work: the pre-commit hook (:mod:`.precommit`) and the MkDocs plugin (:mod:`.mkdocs_plugin`).

Each integration imports its tool lazily: ``convproof`` itself never needs pre-commit or MkDocs.
"""

__all__: list[str] = []
