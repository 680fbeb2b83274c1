"""The central register: SQLAlchemy models, repositories, unit of work and read-side queries."""
