"""edgegate: the command line and the composed demo."""
