with checked as (
    select * from {{ ref('tbl_stg_traffic_checked') }}
),

final as (
    select
        location_id,
        congestion_index,
        avg_speed_kmh,
        incident_count,
        observed_at,
        is_deleted,
        synced_at
    from checked
    where rejection_reason is null
)

select * from final
