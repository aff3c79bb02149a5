-- Idempotency-Key of admin API POSTs (issue 11): the first response to (token, key) is kept for 24 hours
-- and replayed to a retry with the same request; another request with the key gets 422. The row is
-- written in the transaction of the change it answers, so a key is never recorded without its change
-- nor a change committed without its key. request_hash is SHA-256 over method, path and body.
CREATE TABLE idempotency_key (
    token_id       BIGINT        NOT NULL,
    idem_key       VARCHAR(255)  NOT NULL,
    request_hash   VARCHAR(64)   NOT NULL,
    status         INTEGER       NOT NULL,
    location       VARCHAR(1000),
    response_body  VARCHAR(65536),
    created_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (token_id, idem_key)
);
CREATE INDEX idempotency_key_created ON idempotency_key(created_at);
