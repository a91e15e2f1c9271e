"""unit tests of the gate delivery layer"""
