-- The tables both corpora query: a few shipments, vehicles and telemetry pings, small enough to
-- compute every expected result by hand.
create table shipments as
select * from (values
    (1, 'C1', 'DE', 12.5, 3, timestamp '2024-01-15 08:00:00', timestamp '2024-01-16 10:30:00', date '2024-01-15', true),
    (2, 'C1', 'FR', 7.0, 1, timestamp '2024-01-15 09:00:00', null, date '2024-01-15', false),
    (3, 'C2', 'DE', 20.25, 5, timestamp '2024-01-20 12:00:00', timestamp '2024-01-22 12:00:00', date '2024-01-20', true),
    (4, 'C3', null, 3.75, 2, timestamp '2024-02-01 07:30:00', timestamp '2024-02-01 18:00:00', date '2024-02-01', true)
) as v(shipment_id, customer_id, country_code, weight_kg, parcels, shipped_at, delivered_at, ship_date, is_express);

create table vehicles as
select * from (values
    (10, 'V-Ten', 1000, 'BER'),
    (11, 'V-Eleven', 750, 'PAR'),
    (12, 'V-Twelve', 750, 'BER')
) as v(vehicle_id, plate, capacity_kg, home_depot);

create table pings as
select * from (values
    (10, timestamp '2024-01-15 08:00:00', 52.0::double, [3, 7]),
    (10, timestamp '2024-01-15 08:05:00', 61.5::double, [7]),
    (11, timestamp '2024-01-15 08:01:00', 0.0::double, []),
    (11, timestamp '2024-01-15 08:06:00', 35.5::double, [2, 2, 9])
) as v(vehicle_id, recorded_at, speed_kmh, stop_codes);
