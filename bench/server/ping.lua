-- wrk script for bench/server: Gumroad-shaped Pings. Arguments: an order prefix, the secret.
-- Each wrk thread numbers its requests; request n carries order n // 2 of that thread, so
-- every order arrives twice, back to back, usually on two different connections.
local threads = 0
function setup(thread) threads = threads + 1; thread:set("tid", threads) end
local counter = 0
local prefix = ""
local secret = ""
function init(args) prefix = args[1] .. "-" .. tid; secret = args[2] end
request = function()
  local order = prefix .. "-" .. math.floor(counter / 2)
  counter = counter + 1
  local body = "sale_id=" .. order .. "&email=bench%40example.com&full_name=Z%C3%B6e+Bench"
    .. "&product_permalink=https%3A%2F%2Fexample.gumroad.com%2Fl%2Fdatatools-pro"
    .. "&price=4900&currency=usd&quantity=1&resource_name=sale"
  return wrk.format("POST", "/webhooks/gumroad?secret=" .. secret,
                    {["Content-Type"] = "application/x-www-form-urlencoded"}, body)
end
