-- Neovim's built-in LSP client against `pyparallel server`, headless (see .ci/neovim.sh):
-- open the fixture, wait for pyparallel's diagnostics, apply the quick fix of PAR603 the way
-- the editor applies any code action, check the buffer's text, and see the diagnostic go.
-- Exits non-zero on any failure. Uses only APIs Neovim 0.7 (Debian bookworm) already has.
local binary = assert(os.getenv("PYPARALLEL"), "PYPARALLEL: the binary to test")
local fixture = assert(os.getenv("FIXTURE"), "FIXTURE: the Python file to open")
local expected_path = assert(os.getenv("EXPECTED"), "EXPECTED: the buffer's text after the fix")

local function say(line)
  io.stdout:write(line .. "\n")
end

local function fail(message)
  say("FAIL: " .. message)
  vim.cmd("cquit 1")
end

local function run()
  vim.cmd("edit " .. vim.fn.fnameescape(fixture))
  local bufnr = vim.api.nvim_get_current_buf()
  local client_id = vim.lsp.start_client({
    name = "pyparallel",
    cmd = { binary, "server" },
    root_dir = vim.fn.fnamemodify(fixture, ":p:h"),
    -- Served to the server's `workspace/configuration` request.
    settings = { pyparallel = { unsafeFixes = false } },
  })
  if not client_id then
    return fail("the server did not start")
  end
  vim.lsp.buf_attach_client(bufnr, client_id)

  local function codes()
    local found = {}
    for _, d in ipairs(vim.diagnostic.get(bufnr)) do
      local code = d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code)
      table.insert(found, tostring(code))
    end
    table.sort(found)
    return table.concat(found, ",")
  end

  if not vim.wait(20000, function() return #vim.diagnostic.get(bufnr) > 0 end, 50) then
    return fail("no diagnostics within 20 s")
  end
  say("diagnostics received:")
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    local code = d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code)
    say(string.format("  %d:%d %s [%s] %s", d.lnum + 1, d.col + 1, tostring(code),
      vim.diagnostic.severity[d.severity], d.message))
  end
  if codes() ~= "PAR601,PAR603,PAR604" then
    return fail("expected PAR601, PAR603 and PAR604, got " .. codes())
  end

  -- The code actions on line 7 (`return asyncio.get_event_loop()`), as `:lua
  -- vim.lsp.buf.code_action()` would ask for them with the cursor there.
  vim.api.nvim_win_set_cursor(0, { 7, 11 })
  local params = vim.lsp.util.make_range_params()
  params.context = { diagnostics = {} }
  local responses = vim.lsp.buf_request_sync(bufnr, "textDocument/codeAction", params, 10000)
  local actions = responses and responses[client_id] and responses[client_id].result or {}
  say("code actions on line 7:")
  local chosen
  for _, action in ipairs(actions) do
    say("  " .. action.title .. " (" .. tostring(action.kind) .. ")")
    if action.title:find("(PAR603)", 1, true) then
      chosen = action
    end
  end
  if not chosen then
    return fail("no quick fix for PAR603")
  end
  local client = vim.lsp.get_client_by_id(client_id)
  vim.lsp.util.apply_workspace_edit(chosen.edit, client.offset_encoding)

  local text = table.concat(vim.api.nvim_buf_get_lines(bufnr, 0, -1, false), "\n") .. "\n"
  say("buffer after the fix:")
  say(text)
  local file = assert(io.open(expected_path, "r"))
  local expected = file:read("*a")
  file:close()
  if text ~= expected then
    return fail("the buffer is not the expected text")
  end

  -- The edit reaches the server (didChange); after its debounce, PAR603 is gone.
  if not vim.wait(20000, function() return codes() == "PAR601,PAR604" end, 50) then
    return fail("after the fix expected PAR601 and PAR604, got " .. codes())
  end
  say("diagnostics after the fix: " .. codes())

  vim.lsp.stop_client(client_id)
  vim.wait(5000, function() return vim.lsp.get_client_by_id(client_id) == nil end, 50)
  say("PASS")
  vim.cmd("qall!")
end

local ok, error = pcall(run)
if not ok then
  fail(tostring(error))
end
