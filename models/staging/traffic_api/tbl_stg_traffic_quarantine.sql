with checked as (
    select * from {{ ref('tbl_stg_traffic_checked') }}
),

final as (
    select
        {{ row_key(['location_id', 'observed_at'], ['location_id', 'observed_at']) }} as row_key,
        rejection_reason,
        location_id,
        congestion_index,
        avg_speed_kmh,
        incident_count,
        observed_at,
        is_deleted,
        synced_at
    from checked
    where rejection_reason is not null
)

select * from final
