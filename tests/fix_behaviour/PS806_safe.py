"""PS806, safe: a dict filled by a loop, with or without a condition."""
import json


def main():
    users = json.loads('[{"id": 7, "name": "ann", "on": true}, {"id": 3, "name": "bo", "on": false},'
                       ' {"id": 7, "name": "cy", "on": true}]')
    by_id = {}
    for user in users:
        by_id[user["id"]] = user["name"]
    print(by_id)
    active = {}
    for user in users:
        if user["on"]:
            active[user["name"]] = user["id"] * 2
    print(active)


main()
