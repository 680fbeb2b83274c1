"""Loading, checking and searching the knowledge base of help articles."""
