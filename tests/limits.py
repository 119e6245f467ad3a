"""Query budgets the page tests share.

The case page carries the plan, the network, aftercare, decisions and the team question (lessons
come after the page). Each panel adds a fixed number of queries, and none when it has nothing to
show (cases.panel_reads asks for all panels in one query); the tests check the count doesn't grow
with the rows shown. The fullest case in the tests takes 22; an empty one 12 (bench/).
"""

CASE_PAGE_MAX_QUERIES = 24
