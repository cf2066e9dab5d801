{#
    The haul bands tile distance: the lowest starts at 0, each band is non-empty and starts where
    the previous one ends (no gap, no overlap), so every route distance has exactly one haul type.
    Fails with the bands that break the tiling.
#}
with bands as (
    select
        haul_type,
        min_distance_km,
        max_distance_km,
        lag(max_distance_km) over (order by min_distance_km) as previous_max_distance_km,
        row_number() over (order by min_distance_km) as band_number
    from {{ ref('haul_type_bands') }}
)

select *
from bands
where max_distance_km <= min_distance_km
   or (band_number = 1 and min_distance_km <> 0)
   or (band_number > 1 and min_distance_km <> previous_max_distance_km)
