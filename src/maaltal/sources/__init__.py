"""Importers: each turns one kind of input file into validated observations for one snapshot.

An importer reads and checks the whole input before anything is written, and reports every problem with
file, row and column; only then does :meth:`maaltal.store.Store.write_snapshot` write it, in one
transaction.
"""
