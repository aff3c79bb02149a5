-- The secrets every node of a cluster must share (issue 14): the PIN pepper, the recording signing and
-- encryption keys. Each row has the secret's fingerprint (SHA-256 with a label, never the secret), so a node
-- whose secret differs refuses to start, and, when the nodes are given a cluster key (cluster.keyFile), the
-- secret itself wrapped by that key (AES-256-GCM), so a new node fetches it instead of being given a copy.
CREATE TABLE cluster_secret (
    name         VARCHAR(64)  PRIMARY KEY,
    fingerprint  VARCHAR(64)  NOT NULL,
    wrapped      VARCHAR(4000),
    key_check    VARCHAR(64),
    set_by       VARCHAR(64),
    set_at       TIMESTAMP WITH TIME ZONE NOT NULL
);
