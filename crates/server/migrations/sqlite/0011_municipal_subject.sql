-- The person at the municipality's identity provider an account belongs
-- to ("issuer subject"), linked at the account's first municipal login:
-- later logins must be that person, whatever name the provider sends.
-- NULL until then (and after `admin unlink-municipal-login`).
ALTER TABLE users ADD COLUMN municipal_subject TEXT;
