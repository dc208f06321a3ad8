"""The license daemon: storefront webhooks in, signed DTLIC2 licenses out."""
