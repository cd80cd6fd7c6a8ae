"""PS806, unsafe: a module-level dict whose values come from calls."""
import json

USERS = json.loads('[{"id": 7, "name": "ann"}, {"id": 3, "name": "bo"}]')
names = {}
for user in USERS:
    names[user["id"]] = user["name"].title()
print(names)
