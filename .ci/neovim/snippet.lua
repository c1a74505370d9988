-- Runs after docs/editors.md's Neovim 0.7 snippet was loaded as the init file (see
-- .ci/neovim.sh): the buffer given on the command line must get pyparallel's diagnostics
-- through the client the snippet started. Exits non-zero otherwise.
local function say(line)
  io.stdout:write(line .. "\n")
end

local ok = vim.wait(20000, function()
  return #vim.diagnostic.get(0) > 0
end, 50)
if not ok then
  say("FAIL: the documented snippet gave no diagnostics within 20 s (filetype: " .. vim.bo.filetype .. ")")
  vim.cmd("cquit 1")
end
local codes = {}
for _, d in ipairs(vim.diagnostic.get(0)) do
  table.insert(codes, tostring(d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code)))
end
table.sort(codes)
say("documented snippet: diagnostics " .. table.concat(codes, ","))
vim.cmd("qall!")
