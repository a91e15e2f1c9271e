"""tradier/sim"""
