-- Two laptops of a branch can each file the same enterprise while offline. Both files reach head
-- office, and the other laptop's pull then failed on this unique index at every sync: sync stuck
-- for good, however often it retried. What head office holds is what exists, so a laptop now keeps
-- both files, and a person merges them. Filing a USCC that is already on this laptop is still
-- refused (the handlers look it up first), and enterprises_uscc_live serves the lookups this served.
DROP INDEX enterprises_uscc;
