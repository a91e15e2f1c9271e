"""functional tests of the gate handlers"""
