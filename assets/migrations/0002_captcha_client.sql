-- An image code is valid only for the address it was issued to.
ALTER TABLE captchas ADD COLUMN client TEXT NOT NULL DEFAULT '';
