"""The gate's handlers behind a local HTTP adapter (`edgegate gate serve`) and its bench."""
