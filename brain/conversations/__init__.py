"""Strategy conversations: sessions that remember and forget on time, a prompt that fits a
real token budget, and recommendations confirmed exactly once.

Data flow: `store` / `store_dynamo` (sessions, messages, summaries, insights, pending
recommendations) → `memory` (hot, warm, cold within a token budget) → the analyst →
recommendations confirmed once → a signed proposal through the gate client.
After each close: the engine's events and the monitor's closes → `daybook` (the day's
outcomes) → `after_close` → `insights` (the cold memory).
"""
