-- Admin API tokens that expire, are limited to facilities, and say when they were last used (issue 11).
-- expires_at NULL = never (admin tokens by default); last_used_at is kept to the minute (the
-- authenticator writes it only when it is a minute old, not on every request).
ALTER TABLE api_token ADD COLUMN expires_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE api_token ADD COLUMN last_used_at TIMESTAMP WITH TIME ZONE;

-- A token with rows here sees and changes only these facilities' data, calls and recordings; a token
-- with none is not limited.
CREATE TABLE api_token_facility (
    token_id     BIGINT      NOT NULL REFERENCES api_token(id),
    facility_id  VARCHAR(64) NOT NULL REFERENCES facility(id),
    PRIMARY KEY (token_id, facility_id)
);
