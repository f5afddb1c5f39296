-- Runs against your session's own PostgreSQL database: its tables stay until you close the tab.
DROP TABLE IF EXISTS fruit;
CREATE TABLE fruit (name text PRIMARY KEY, price numeric(5, 2), stock integer);
INSERT INTO fruit VALUES ('apple', 0.40, 120), ('banana', 0.25, 80), ('cherry', 3.10, 15);

SELECT name, price, stock, price * stock AS worth
FROM fruit
ORDER BY worth DESC;
