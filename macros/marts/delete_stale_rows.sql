{#
    Pre-hooks of incremental marts (empty on a first or full-refresh run, so dbt skips them). A merge
    can only insert or update, but a row can also leave staging (a later version fails validation and
    is quarantined); a full refresh would not hold it, so the incremental run deletes it first.

    delete_rows_missing_from: delete every row whose key is no longer in the staging relation (a key
    anti-join; use where a row can leave staging without a new synced_at of its own, e.g. shipments,
    whose validity also depends on the vehicle's capacity).

    delete_rows_quarantined_since_high_water_mark: delete the rows whose key was quarantined by a
    version landed since the high-water mark (use where validity depends only on the row itself and
    on its parents' keys existing, which never leave raw: telemetry, weather, traffic).
#}
{% macro delete_rows_missing_from(staging_relation, key_column) -%}
    {%- if is_incremental() -%}
    delete from {{ this }}
    where {{ key_column }} not in (
        select staged.{{ key_column }}
        from {{ staging_relation }} as staged
        where staged.{{ key_column }} is not null
    )
    {%- endif -%}
{%- endmacro %}

{% macro delete_rows_quarantined_since_high_water_mark(quarantine_relation, target_key, quarantine_key_expression) -%}
    {%- if is_incremental() -%}
    delete from {{ this }}
    where {{ target_key }} in (
        select {{ quarantine_key_expression }}
        from {{ quarantine_relation }} as quarantined
        where {{ after_high_water_mark('quarantined.synced_at') }}
    )
    {%- endif -%}
{%- endmacro %}
