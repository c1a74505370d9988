# Recall site: python-discord/bot bot/exts/filtering/_filter_lists/invite.py (actions_for), resolves every Discord invite code found in a message with one API call each, sorting them into two dicts.
from discord.errors import NotFound

import bot


async def sort_invites(refined, check_if_allowed):
    to_inspect = dict()
    unknown = dict()
    for code in refined.values():  # recall: PAR203
        try:
            invite = await bot.instance.fetch_invite(code)
        except NotFound:
            if check_if_allowed:
                unknown[code] = None
        else:
            if invite.guild:
                to_inspect[code] = invite
            elif check_if_allowed:
                unknown[code] = invite
    return to_inspect, unknown
