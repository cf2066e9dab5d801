{#
    When the warehouse knew a recorded fact, as a TIMESTAMP (the point-in-time rule of the ML layer):
    the later of the time the source recorded it and the time its row landed (_fivetran_synced),
    except for rows of the initial load, which all carry the one landing time of the backfill: there
    the source's recorded time is the whole evidence.
#}
{% macro known_at(recorded_at, landed_at, initial_landed_at) -%}
    case
        when {{ landed_at }} = {{ initial_landed_at }} then {{ recorded_at }}
        when {{ recorded_at }} > {{ landed_at }} then {{ recorded_at }}
        else {{ landed_at }}
    end
{%- endmacro %}
