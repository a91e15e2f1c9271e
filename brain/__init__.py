"""brain"""
