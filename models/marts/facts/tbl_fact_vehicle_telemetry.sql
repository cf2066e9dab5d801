{#
    One row per telematics ping (tbl_stg_telematics), soft-deleted ones kept and flagged: the
    largest table of the warehouse. Like the other facts it carries the vehicle version valid at
    the event (vehicle_sk: as-of join on recorded_at) and the ping's calendar day (date_sk): the
    LOCAL date of recorded_at in the time zone of that version's home depot, in the depot's country
    (the convention of every fact's date key since defect 5: weekday, weekend and holidays are
    judged on the local day; tbl_fact_vehicle_utilization uses the same local day).

    Incremental, merge on telemetry_id. The batch is every staged ping that
      - has a synced_at above the table's high-water mark (new pings, pings buffered on the device
        for hours, re-deliveries: each arrives with a new synced_at whatever its recorded_at), or
      - is not in the table yet while its vehicle or shipment landed since the mark (it was an
        orphan until its parent landed), or
      - was recorded at or after the start of a vehicle version landed since the mark (its
        vehicle_sk, home depot and thus date_sk may have changed), or at or after the start of a
        location version landed since the mark for a depot that is home to one of the vehicle's
        versions (its time zone or country may have changed),
    deduplicated by telemetry_id (latest synced_at wins, then the latest recorded_at). The cost
    follows the sync: each reason is its own branch of a union over staging (candidates_kept), so
    a branch whose small driving set is empty (no parent or version landed: most syncs) reads
    nothing, and the synced-since branch reads only the row groups past the mark (zone maps); one
    scan with the reasons OR-ed would read every staged ping whatever the sync. Only the orphan
    branch's pings are anti-joined against the stored ids, never every staged ping. A new version re-keys only the pings from its own
    start on, which are the pings whose as-of version it changes. Pings quarantined by a version
    landed since the mark are deleted first (pre-hook). So the table equals a full refresh after
    any sequence of syncs, at a cost that grows with the sync.
    On Snowflake it is clustered by (recorded_date, vehicle_id), the filters of every reader (a day's
    utilisation, a vehicle's history); pings arrive roughly in time order, so reclustering is cheap.
    The other facts are small enough (about 1M rows a year) for natural insertion order to prune.
#}
-- depends_on: {{ ref('tbl_stg_telematics_quarantine') }}
-- depends_on: {{ ref('tbl_stg_vehicles') }}
-- depends_on: {{ ref('tbl_stg_vehicles_quarantine') }}
-- depends_on: {{ ref('tbl_stg_shipments') }}
-- depends_on: {{ ref('tbl_stg_shipments_quarantine') }}
{{ config(
    materialized='incremental',
    incremental_strategy='merge',
    unique_key='telemetry_id',
    on_schema_change='fail',
    cluster_by=['recorded_date', 'vehicle_id'],
    pre_hook="{{ delete_rows_quarantined_since_high_water_mark(ref('tbl_stg_telematics_quarantine'), 'telemetry_id', 'quarantined.telemetry_id') }}"
) }}

with vehicles as (
    select * from {{ ref('tbl_dim_vehicle') }}
),

locations as (
    select * from {{ ref('tbl_dim_location') }}
),

{% if is_incremental() %}
landed_vehicles as (
    select vehicle_id from {{ ref('tbl_stg_vehicles') }}
    where {{ after_high_water_mark('synced_at') }}
    union
    select vehicle_id from {{ ref('tbl_stg_vehicles_quarantine') }}
    where {{ after_high_water_mark('synced_at') }}
),

landed_shipments as (
    select shipment_id from {{ ref('tbl_stg_shipments') }}
    where {{ after_high_water_mark('synced_at') }}
    union
    select shipment_id from {{ ref('tbl_stg_shipments_quarantine') }}
    where {{ after_high_water_mark('synced_at') }}
),

landed_vehicle_versions as (
    {{ version_starts_landed_since_high_water_mark('vehicles', 'vehicle_id') }}
),

landed_location_versions as (
    {{ version_starts_landed_since_high_water_mark('locations', 'location_id') }}
),

landed_home_versions as (
    select
        vehicles.vehicle_id,
        min(landed_location_versions.valid_from_at) as valid_from_at
    from landed_location_versions
    inner join vehicles
        on landed_location_versions.location_id = vehicles.home_location_id
    group by vehicles.vehicle_id
),

rekeyed_since as (
    select vehicle_id, min(valid_from_at) as valid_from_at
    from (
        select vehicle_id, valid_from_at from landed_vehicle_versions
        union all
        select vehicle_id, valid_from_at from landed_home_versions
    ) as landed_versions
    group by vehicle_id
),

orphans as (
    select telemetry.*
    from {{ ref('tbl_stg_telematics') }} as telemetry
    where telemetry.vehicle_id in (select landed_vehicles.vehicle_id from landed_vehicles)
    union all
    select telemetry.*
    from {{ ref('tbl_stg_telematics') }} as telemetry
    where telemetry.shipment_id in (select landed_shipments.shipment_id from landed_shipments)
),

candidates_kept as (
    select telemetry.*
    from {{ ref('tbl_stg_telematics') }} as telemetry
    where {{ after_high_water_mark('telemetry.synced_at') }}
    union all
    select telemetry.*
    from {{ ref('tbl_stg_telematics') }} as telemetry
    inner join rekeyed_since
        on telemetry.vehicle_id = rekeyed_since.vehicle_id
    where telemetry.recorded_at >= rekeyed_since.valid_from_at
    union all
    select orphans.*
    from orphans
    where not exists (
        select 1
        from {{ this }} as stored
        where stored.telemetry_id = orphans.telemetry_id
    )
),
{% else %}
candidates_kept as (
    select * from {{ ref('tbl_stg_telematics') }}
),
{% endif %}

batch as (
    select candidates_kept.*
    from candidates_kept
    qualify row_number() over (
        partition by candidates_kept.telemetry_id
        order by candidates_kept.synced_at desc, candidates_kept.recorded_at desc
    ) = 1
),

as_of_versions as (
    select
        batch.*,
        vehicles.vehicle_sk,
        home_locations.country_code as home_country_code,
        home_locations.time_zone as home_time_zone
    from batch
    left join vehicles
        on batch.vehicle_id = vehicles.vehicle_id
        and batch.recorded_at >= vehicles.valid_from_at
        and batch.recorded_at < vehicles.valid_to_at
    left join locations as home_locations
        on vehicles.home_location_id = home_locations.location_id
        and batch.recorded_at >= home_locations.valid_from_at
        and batch.recorded_at < home_locations.valid_to_at
),

final as (
    select
        -- keys
        cast(batch.telemetry_id as bigint) as telemetry_id,
        cast(batch.vehicle_id as bigint) as vehicle_id,
        cast(coalesce(batch.vehicle_sk, {{ unknown_key() }}) as {{ dbt.type_string() }}) as vehicle_sk,
        cast(batch.shipment_id as bigint) as shipment_id,
        cast({{ date_key(local_date('batch.recorded_at', "coalesce(batch.home_time_zone, 'UTC')"), 'batch.home_country_code') }} as {{ dbt.type_string() }}) as date_sk,
        -- times
        cast(batch.recorded_at as {{ dbt.type_timestamp() }}) as recorded_at,
        cast(batch.recorded_at as date) as recorded_date,
        -- readings
        cast(batch.latitude as double) as latitude,
        cast(batch.longitude as double) as longitude,
        cast(batch.speed_kmh as double) as speed_kmh,
        cast(batch.engine_rpm as double) as engine_rpm,
        cast(batch.engine_temp_c as double) as engine_temp_c,
        cast(batch.fuel_level_pct as double) as fuel_level_pct,
        cast(batch.odometer_km as double) as odometer_km,
        cast(batch.battery_voltage_v as double) as battery_voltage_v,
        -- flags
        cast(batch.is_harsh_braking as boolean) as is_harsh_braking,
        cast(batch.is_harsh_acceleration as boolean) as is_harsh_acceleration,
        cast({{ is_moving('batch.speed_kmh') }} as boolean) as is_moving,
        cast({{ is_idling('batch.speed_kmh', 'batch.engine_rpm') }} as boolean) as is_idling,
        cast(batch.shipment_id is not null as boolean) as is_on_trip,
        cast(batch.is_deleted as boolean) as is_deleted,
        -- change detection
        cast(batch.synced_at as {{ dbt.type_timestamp() }}) as synced_at,
        -- run audit
        {{ run_columns() }}
    from as_of_versions as batch
)

select * from final
