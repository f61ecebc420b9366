"""The interactive chat: conversation flow, what the assistant says, terminal and plain front ends."""
