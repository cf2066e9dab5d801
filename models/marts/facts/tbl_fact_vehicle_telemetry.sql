{#
    One row per telematics ping (tbl_stg_telematics), soft-deleted ones kept and flagged: the
    largest table of the warehouse, so it carries no as-of dimension lookups (a vehicle's new
    version would otherwise rewrite its whole history); it references the vehicle by its durable
    vehicle_id.

    Incremental, merge on telemetry_id. The batch is every staged ping that
      - has a synced_at above the table's high-water mark (new pings, pings buffered on the device
        for hours, re-deliveries: each arrives with a new synced_at whatever its recorded_at), or
      - is not in the table yet while its vehicle or shipment landed since the mark (it was an
        orphan until its parent landed),
    deduplicated by telemetry_id (latest synced_at wins, then the latest recorded_at). The cost
    follows the sync: candidates takes, in one pass over staging, the pings synced since the mark
    and the pings of the (few) parents landed since it, with semi-joins on those small key sets;
    only those candidates are then anti-joined against the stored ids (candidates_kept), never
    every staged ping (the left join of all history that one OR over the table needed). Pings
    quarantined by a version landed since the mark are deleted first (pre-hook); a ping's validity
    depends only on its own values and on its parents' keys, which never leave raw. So the table
    equals a full refresh after any sequence of syncs, at a cost that grows with the sync.
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

with telemetry as (
    select * from {{ ref('tbl_stg_telematics') }}
),

{% if is_incremental() %}
landed_vehicles as (
    select vehicle_id from {{ ref('tbl_stg_vehicles') }}
    where synced_at > {{ high_water_mark() }}
    union
    select vehicle_id from {{ ref('tbl_stg_vehicles_quarantine') }}
    where synced_at > {{ high_water_mark() }}
),

landed_shipments as (
    select shipment_id from {{ ref('tbl_stg_shipments') }}
    where synced_at > {{ high_water_mark() }}
    union
    select shipment_id from {{ ref('tbl_stg_shipments_quarantine') }}
    where synced_at > {{ high_water_mark() }}
),

candidates as (
    select telemetry.*
    from telemetry
    where telemetry.synced_at > {{ high_water_mark() }}
       or telemetry.vehicle_id in (select landed_vehicles.vehicle_id from landed_vehicles)
       or telemetry.shipment_id in (select landed_shipments.shipment_id from landed_shipments)
),

candidates_kept as (
    select candidates.*
    from candidates
    where candidates.synced_at > {{ high_water_mark() }}
       or not exists (
           select 1
           from {{ this }} as stored
           where stored.telemetry_id = candidates.telemetry_id
       )
),
{% else %}
candidates_kept as (
    select * from telemetry
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

final as (
    select
        -- keys
        cast(batch.telemetry_id as bigint) as telemetry_id,
        cast(batch.vehicle_id as bigint) as vehicle_id,
        cast(batch.shipment_id as bigint) as shipment_id,
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
    from batch
)

select * from final
