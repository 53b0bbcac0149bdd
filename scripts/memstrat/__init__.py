"""memstrat's Python side: the suite runner, and the loaders, plots, report and
comparison that read a results document. Standard library only, except the
plots (Debian's python3-matplotlib) and the comparison's statistics."""
