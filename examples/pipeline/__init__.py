"""Nightly ETL job that turns partner sales feeds into regional summaries."""
