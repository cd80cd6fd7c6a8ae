"""Bookshop web service: catalogue, orders and back-office reports."""
