"""tests/functional"""
