"""Source documents and sentence anchors: read the documents, split them into sentences, resolve the graph's
locators against them (``check``) and account for every sentence (``coverage``).

Reads files and the graph; never prints. The documents' text goes only where a caller asks for it.
"""

from .check import CheckReport, check
from .coverage import CoverageReport, coverage
from .documents import document_hashes, documents_by_node, read_documents
from .locators import OA, citations, claim_locators, source_documents
from .sentences import Sentence, split_sentences
from .setaside import BUNDLED_SET_ASIDE, REASONS, read_set_aside

__all__ = [
    "BUNDLED_SET_ASIDE",
    "CheckReport",
    "CoverageReport",
    "OA",
    "REASONS",
    "Sentence",
    "check",
    "citations",
    "claim_locators",
    "coverage",
    "document_hashes",
    "documents_by_node",
    "read_documents",
    "read_set_aside",
    "source_documents",
    "split_sentences",
]
