{#
    How the warehouse must handle each defect type the generator injects (generator/defects.py),
    per landing table:
      layer 'raw'        quarantined in tbl_raw_quarantine with one of `reasons`
      layer 'staging'    quarantined in tbl_stg_<table>_quarantine with one of `reasons`
      layer 'corrected'  repaired by a documented rule: staged, in no quarantine, and the staged value
                         differs from the raw one in one of the `corrected_columns` (raw, staged) pairs
    `harmless_when`: SQL over the raw row (alias raw_row), true when the defect changed nothing.
    unit_glitch: a weight in grams exceeds the capacity of any vehicle; a downtime in minutes exceeds
    the maintenance type's max_downtime_hours (seed enum_maintenance_type), except a cancelled
    booking's zero downtime (0 x 60 is still 0), which is harmless.
    A defect type or table missing here is never caught: adding one to the generator fails the audit.
#}
{% macro expected_defect_handling() -%}
    {%- set raw_key_tables = ['telematics', 'weather', 'traffic'] -%}
    {%- set clean_enum_rule = 'clean_enum (macros/staging/clean_enum.sql): trim, upper-case, spaces to underscores' -%}
    {%- set handling = {
        'null_key': {},
        'duplicate_key': {},
        'orphan_fk': {
            'shipments': {'layer': 'staging', 'reasons': ['orphan_customer', 'orphan_route', 'orphan_vehicle']},
            'maintenance': {'layer': 'staging', 'reasons': ['orphan_vehicle']},
            'telematics': {'layer': 'staging', 'reasons': ['orphan_vehicle']},
            'weather': {'layer': 'staging', 'reasons': ['orphan_location']},
            'traffic': {'layer': 'staging', 'reasons': ['orphan_location']},
        },
        'negative_value': {
            'shipments': {'layer': 'staging', 'reasons': ['non_positive_weight', 'negative_amount']},
            'maintenance': {'layer': 'staging', 'reasons': ['negative_amount']},
        },
        'delivery_before_pickup': {
            'shipments': {'layer': 'staging', 'reasons': ['delivered_before_pickup']},
        },
        'future_timestamp': {
            'shipments': {'layer': 'staging', 'reasons': ['timestamp_after_load']},
            'maintenance': {'layer': 'staging', 'reasons': ['timestamp_after_load']},
            'telematics': {'layer': 'staging', 'reasons': ['timestamp_after_load']},
        },
        'out_of_range': {
            'telematics': {'layer': 'staging', 'reasons': ['sensor_out_of_range']},
            'weather': {'layer': 'staging', 'reasons': ['sensor_out_of_range']},
            'traffic': {'layer': 'staging', 'reasons': ['sensor_out_of_range']},
        },
        'bad_enum': {
            'customers': {'layer': 'corrected', 'rule': clean_enum_rule,
                          'corrected_columns': [['customer_type', 'customer_type']]},
            'shipments': {'layer': 'corrected', 'rule': clean_enum_rule,
                          'corrected_columns': [['status', 'shipment_status'], ['priority', 'priority'],
                                                ['service_level', 'service_level']]},
            'maintenance': {'layer': 'corrected', 'rule': clean_enum_rule,
                            'corrected_columns': [['maintenance_type', 'maintenance_type'],
                                                  ['status', 'maintenance_status']]},
            'weather': {'layer': 'corrected', 'rule': clean_enum_rule,
                        'corrected_columns': [['condition', 'weather_condition']]},
        },
        'unit_glitch': {
            'shipments': {'layer': 'staging', 'reasons': ['weight_exceeds_vehicle_capacity']},
            'maintenance': {'layer': 'staging', 'reasons': ['downtime_exceeds_type_maximum'],
                            'harmless_when': 'raw_row.downtime_hours = 0'},
        },
    } -%}
    {%- for table in raw_key_tables -%}
        {%- do handling['null_key'].update({table: {'layer': 'raw', 'reasons': ['null_key']}}) -%}
        {%- do handling['duplicate_key'].update({table: {'layer': 'raw', 'reasons': ['conflicting_duplicate']}}) -%}
    {%- endfor -%}
    {{ return(handling) }}
{%- endmacro %}
