-- A tablet's own SIP digest credential (issue 12): the station id is the digest user name, and only
-- HA1 = MD5(user ":" realm ":" password) is kept, as SIP registrars do (the password itself is shown
-- once, when it is issued). HA1 is password-equivalent within its realm only; the password is 128
-- random bits, so it reveals nothing reusable elsewhere. A station has at most one credential.
CREATE TABLE station_credential (
    station_id  VARCHAR(64)  PRIMARY KEY REFERENCES station(id) ON DELETE CASCADE,
    realm       VARCHAR(128) NOT NULL,
    ha1         VARCHAR(32)  NOT NULL,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL
);
