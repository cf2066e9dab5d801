{#
    The [lower, upper) bands of a band seed (haul_type_bands, customer_tier_bands) tile the values
    from 0: the lowest band starts at 0, each band is non-empty and starts where the previous one
    ends (no gap, no overlap), so every value from 0 up falls in exactly one band (macro
    is_in_band). Fails with the bands that break the tiling.
#}
{% test bands_tile_from_zero(model, lower_column, upper_column) %}
    with bands as (
        select
            {{ lower_column }} as lower_bound,
            {{ upper_column }} as upper_bound,
            lag({{ upper_column }}) over (order by {{ lower_column }}) as previous_upper_bound,
            row_number() over (order by {{ lower_column }}) as band_number
        from {{ model }}
    )

    select *
    from bands
    where upper_bound <= lower_bound
       or (band_number = 1 and lower_bound <> 0)
       or (band_number > 1 and lower_bound <> previous_upper_bound)
{% endtest %}
