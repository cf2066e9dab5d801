{#
    PII masking on Snowflake. A column is PII when YAML tags it (`meta: {pii: true}` or a kind:
    email, phone, text) on a source or a node; the tag flows down the lineage by column name, so a
    model or snapshot that carries `email` from a tagged ancestor is masked too without retagging.
    Each kind has one masking policy in the environment's policy schema, owned by GOVERNANCE_ADMIN:
      case when current_role() in (<roles declared to see unmasked PII here>) then val else <mask> end
    The build's post-hook apply_governance_policies() attaches it (the build role has APPLY only),
    then grants SELECT as declared: a relation is never readable before its policies are on it.
#}

{% macro masking_policy_name(kind) -%}
    {{ return(policy_object_name('pii_' ~ kind ~ '_mask')) }}
{%- endmacro %}

{% macro masking_policy_body(kind) -%}
    {{ return('case when ' ~ primary_role_in(unmasked_pii_roles()) ~ ' then val else ' ~ mask_pii(kind, 'val') ~ ' end') }}
{%- endmacro %}

{# CREATE (if absent) and SET BODY of one kind's policy, as GOVERNANCE_ADMIN; APPLY to the build role. #}
{% macro masking_policy_sql(kind) -%}
    {%- set body = masking_policy_body(kind) -%}
    {{ return([
        'create masking policy if not exists ' ~ masking_policy_name(kind)
            ~ " as (val varchar) returns varchar -> " ~ body
            ~ " comment = 'logistics: masks " ~ kind ~ " PII unless the primary role may see it'",
        'alter masking policy ' ~ masking_policy_name(kind) ~ ' set body -> ' ~ body,
        'grant apply on masking policy ' ~ masking_policy_name(kind) ~ ' to role ' ~ governance_role('TRANSFORMER'),
    ]) }}
{%- endmacro %}

{# PII columns a source or node declares itself: {column name (lower case): kind} #}
{% macro own_pii_columns(node) -%}
    {%- set found = {} -%}
    {%- for name, column in (node.columns or {}).items() -%}
        {%- set tag = (column.meta or {}).get('pii') or ((column.config or {}).get('meta') or {}).get('pii') -%}
        {%- if tag -%}
            {%- do found.update({name | lower: pii_kind(name, tag)}) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(found) }}
{%- endmacro %}

{# PII columns of a node: its own tags plus those of every ancestor (by column name) #}
{% macro pii_columns(node) -%}
    {%- set found = {} -%}
    {%- set seen = [] -%}
    {%- set queue = [node.unique_id] -%}
    {%- for _ in range(10000) if queue -%}
        {%- set unique_id = queue.pop(0) -%}
        {%- if unique_id not in seen -%}
            {%- do seen.append(unique_id) -%}
            {%- set current = graph.nodes.get(unique_id) or graph.sources.get(unique_id) -%}
            {%- if current -%}
                {%- for name, kind in own_pii_columns(current).items() if name not in found -%}
                    {%- do found.update({name: kind}) -%}
                {%- endfor -%}
                {%- do queue.extend((current.depends_on or {}).get('nodes', [])) -%}
            {%- endif -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(found) }}
{%- endmacro %}

{# The kinds of PII declared anywhere (sources and nodes), sorted: one masking policy each. #}
{% macro declared_pii_kinds() -%}
    {%- set kinds = [] -%}
    {%- for node in graph.sources.values() | list + graph.nodes.values() | list -%}
        {%- for kind in own_pii_columns(node).values() if kind not in kinds and not kind.startswith('invalid:') -%}
            {%- do kinds.append(kind) -%}
        {%- endfor -%}
    {%- endfor -%}
    {{ return(kinds | sort) }}
{%- endmacro %}

{# The SQL keyword of a node's relation kind, for ALTER and GRANT. #}
{% macro relation_kind_sql(node) -%}
    {%- set materialized = node.config.materialized -%}
    {{ return('view' if materialized == 'view' else ('dynamic table' if materialized == 'dynamic_table' else 'table')) }}
{%- endmacro %}

{#
    The governance statements of one built relation, in this order: a masking policy on each PII
    column it holds, its row access policies, then SELECT for the roles that read its schema
    (vars.governance.reads). `columns` are the relation's actual column names.
#}
{% macro governance_sql(node, relation, columns) -%}
    {%- set statements = [] -%}
    {%- set kind_of_relation = relation_kind_sql(node) -%}
    {%- set present = columns | map('lower') | list -%}
    {%- set pii = pii_columns(node) -%}
    {%- for column, kind in pii.items() if kind.startswith('invalid:') and column in present -%}
        {%- do exceptions.raise_compiler_error(
            node.unique_id ~ ': column ' ~ column ~ " is tagged PII with kind '" ~ kind[8:]
            ~ "', which has no masking policy (use true, email, phone or text; macros/portable/mask_pii.sql)") -%}
    {%- endfor -%}
    {%- for column, kind in pii.items() | sort if column in present -%}
        {%- do statements.append('alter ' ~ kind_of_relation ~ ' ' ~ relation ~ ' modify column ' ~ column
            ~ ' set masking policy ' ~ masking_policy_name(kind) ~ ' force') -%}
    {%- endfor -%}
    {%- for policy, spec in governance()['row_access'].items() if node.name in spec['models'] -%}
        {%- if node.config.materialized not in ['table', 'view'] -%}
            {%- do exceptions.raise_compiler_error(
                node.unique_id ~ ' carries row access policy ' ~ policy ~ ' but is ' ~ node.config.materialized
                ~ ': only tables and views are rebuilt without their policy and grants, so attaching it '
                ~ 'after each build leaves no unprotected moment') -%}
        {%- endif -%}
        {%- do statements.append('alter ' ~ kind_of_relation ~ ' ' ~ relation ~ ' add row access policy '
            ~ row_access_policy_name(policy) ~ ' on (' ~ spec['column'] ~ ')') -%}
    {%- endfor -%}
    {%- for role in governance()['reads'].get(node.config.schema, []) -%}
        {%- do statements.append('grant usage on schema ' ~ relation.database ~ '.' ~ relation.schema ~ ' to role ' ~ governance_role(role)) -%}
        {%- do statements.append('grant select on ' ~ kind_of_relation ~ ' ' ~ relation ~ ' to role ' ~ governance_role(role)) -%}
    {%- endfor -%}
    {{ return(statements) }}
{%- endmacro %}

{#
    Post-hook of every model and snapshot (dbt_project.yml). On Snowflake targets it protects the
    relation just built and then grants it; elsewhere it is empty. dbt's own `grants` config is not
    used: dbt-snowflake's view materialisation applies it BEFORE the post-hooks.
#}
{% macro apply_governance_policies() -%}
    {%- if target.type != 'snowflake' or not execute -%}{{ return('') }}{%- endif -%}
    {%- do governance_environment() -%}
    {%- set columns = adapter.get_columns_in_relation(this) | map(attribute='name') | list if pii_columns(model) else [] -%}
    {{ return(governance_sql(model, this, columns) | join(';\n')) }}
{%- endmacro %}

{#
    Masks the PII columns of the landing tables (sources), which dbt does not build (as
    GOVERNANCE_ADMIN, which holds APPLY MASKING POLICY on the account).
#}
{% macro mask_landing_pii_sql() -%}
    {%- set statements = [] -%}
    {%- for source in graph.sources.values() -%}
        {%- for column, kind in own_pii_columns(source).items() | sort -%}
            {%- do statements.append('alter table ' ~ source.database ~ '.' ~ source.schema ~ '.'
                ~ source.identifier ~ ' modify column ' ~ column ~ ' set masking policy '
                ~ masking_policy_name(kind) ~ ' force') -%}
        {%- endfor -%}
    {%- endfor -%}
    {{ return(statements) }}
{%- endmacro %}

{#
    What apply_governance_policies() does to every built model and snapshot, without doing it: one
    `-- operation: <unique_id>` block per relation with its statements (columns read from the target).
    Also prints `-- pii: <unique_id> <column> <kind>` for every PII column found, which the tests
    compare with the policies applied.
#}
{% macro governance_plan(dry_run=true) -%}
    {%- do require_snowflake_target('governance_plan') -%}
    {%- set all_statements = [] -%}
    {%- for node in graph.nodes.values() if node.resource_type in ['model', 'snapshot'] and node.config.enabled -%}
        {%- set relation = adapter.get_relation(node.database, node.schema, node.alias) -%}
        {%- if relation is not none -%}
            {%- set columns = adapter.get_columns_in_relation(relation) | map(attribute='name') | list -%}
            {%- set present = columns | map('lower') | list -%}
            {%- set pii = pii_columns(node) -%}
            {%- for column, kind in pii.items() if column in present -%}
                {%- do print('-- pii: ' ~ node.unique_id ~ ' ' ~ column ~ ' ' ~ kind) -%}
            {%- endfor -%}
            {%- set invalid = [] -%}
            {%- for column, kind in pii.items() if kind.startswith('invalid:') and column in present -%}
                {%- do invalid.append(column) -%}
            {%- endfor -%}
            {%- set statements = [] if invalid else governance_sql(node, relation, columns) -%}
            {%- if statements -%}
                {%- do run_governance_statements(node.unique_id, statements, dry_run) -%}
                {%- do all_statements.extend(statements) -%}
            {%- endif -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(all_statements | join(';\n')) }}
{%- endmacro %}
