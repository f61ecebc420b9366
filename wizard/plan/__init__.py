"""The plan: building documents from results, rendering, charts, writing output sets."""
