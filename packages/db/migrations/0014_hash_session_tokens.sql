-- Session ids are now the SHA-256 of the client's token (the token is never stored).
-- Rows written before held the token itself: end them all (users sign in again).
DELETE FROM "sessions";
