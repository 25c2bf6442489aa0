-- POST the request bodies of a file (one JSON document per line) in turn.
-- wrk -s bodies.lua URL -- bodies.txt
local bodies = {}
local index = 0

function init(args)
  for line in io.lines(args[1]) do
    bodies[#bodies + 1] = line
  end
end

function request()
  index = index % #bodies + 1
  return wrk.format("POST", nil, nil, bodies[index])
end
